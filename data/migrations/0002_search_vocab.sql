-- Document frequencies of the search index's terms, per column and per
-- row, read by Search to evaluate the most selective words first. These
-- virtual tables store nothing: they read the search index itself.
CREATE VIRTUAL TABLE search_vocab_col USING fts5vocab(search, col);
CREATE VIRTUAL TABLE search_vocab_row USING fts5vocab(search, row);
