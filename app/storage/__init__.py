"""The local data file: an SQLCipher-encrypted SQLite database made only by alembic."""
