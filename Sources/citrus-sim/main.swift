print("citrus-sim")
