"""The PostgreSQL backend of the results store: the same schema, keys and migrations as SQLite, for a lab's shared
leaderboard. Imported only when a store is given as a ``postgresql://`` URL; it needs psycopg 3
(``pip install 'neuroalign[postgres]'``), which the SQLite store never imports.
"""
