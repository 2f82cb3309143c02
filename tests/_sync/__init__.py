# Generated from tests/_async/ by generator/generate.py (unasync). Do not edit.
