-- A second schema version that exists only in the tests, to exercise upgrades and backups.
ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
CREATE TABLE audit (id INTEGER PRIMARY KEY, note TEXT NOT NULL);
CREATE TRIGGER audit_rename AFTER UPDATE OF title ON conversations
BEGIN
    INSERT INTO audit (note) VALUES ('renamed; to ' || new.title);
END;
