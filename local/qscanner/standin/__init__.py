"""The stand-in qscanner, one module per section of QScanner's README v4.8.0 (see ../qscanner)."""
