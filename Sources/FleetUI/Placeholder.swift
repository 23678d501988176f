import CNcurses
func _probe() { _ = citrus_lines() }
