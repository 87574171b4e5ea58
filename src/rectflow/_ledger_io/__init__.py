"""The Excel/CSV ledger (台账) both ways, with openpyxl."""
