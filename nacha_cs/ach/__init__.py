"""The NACHA format: record layouts, the file model, building, reading and writing files."""
