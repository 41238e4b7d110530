"""Writing workbooks (openpyxl). Long exports are generators that yield progress."""
