print("citrus-fleet")
