"""What a reader sees of the results: numbers as phrases (``phrases``), tables (``tables``,
``display_tables``), citations (``citation``), the Data page (``datapage``) and launch links
(``links``)."""
