"""What users read, built from core results: the one xlsx writer (xlsx), HTML page
pieces and maps (html), charts (charts), and the Chinese documents made of them: the
potential survey's workbook and report (survey) and the declaration tables
(declaration). Rules stay in their own core modules; nothing here decides a figure."""
