-- Schema version 2: per-conversation settings, what each reply cost and how it was sampled,
-- attachments stored once by content, app settings, and full-text search over titles and messages.

ALTER TABLE conversations ADD COLUMN system_prompt TEXT NOT NULL DEFAULT '';
-- Thinking budget in tokens: NULL follows the app's setting, 0 no thinking, -1 no limit.
ALTER TABLE conversations ADD COLUMN think_budget INTEGER CHECK (think_budget IS NULL OR think_budget >= -1);
ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1));
ALTER TABLE conversations ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1));

ALTER TABLE messages ADD COLUMN prompt_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN image_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN thinking_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN completion_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN ttft_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN duration_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN device TEXT NOT NULL DEFAULT '';
-- Sampling of a reply: temperature 0 is greedy (the rest then means nothing); top_k 0 and min_p 0
-- are off, repetition_penalty 1 is none.
ALTER TABLE messages ADD COLUMN temperature REAL NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN top_p REAL NOT NULL DEFAULT 1;
ALTER TABLE messages ADD COLUMN top_k INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN min_p REAL NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN repetition_penalty REAL NOT NULL DEFAULT 1;
ALTER TABLE messages ADD COLUMN seed INTEGER NOT NULL DEFAULT 0;

CREATE INDEX messages_by_parent ON messages (parent_id);
CREATE INDEX conversations_by_pin_and_update ON conversations (archived, pinned DESC, updated_at DESC);

-- One row per distinct content, whatever message or conversation uses it. Small files live in
-- `data`; large ones as files named by their hash under attachments/ beside the database (`path`,
-- relative to the database's folder).
CREATE TABLE attachments (
    sha256      TEXT    PRIMARY KEY CHECK (length(sha256) = 64),
    mime_type   TEXT    NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    width       INTEGER NOT NULL DEFAULT 0,   -- pixels, for images
    height      INTEGER NOT NULL DEFAULT 0,
    pages       INTEGER NOT NULL DEFAULT 0,   -- for PDFs
    data        BLOB,
    path        TEXT,
    created_at  INTEGER NOT NULL,
    CHECK ((data IS NULL) <> (path IS NULL))
) WITHOUT ROWID;

CREATE TABLE message_attachments (
    message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    sha256      TEXT    NOT NULL REFERENCES attachments (sha256),
    name        TEXT    NOT NULL DEFAULT '',  -- the file name it was attached as
    pages       TEXT    NOT NULL DEFAULT '',  -- the PDF pages chosen, e.g. '1,3-4'; empty: all
    PRIMARY KEY (message_id, position)
) WITHOUT ROWID;

CREATE INDEX message_attachments_by_content ON message_attachments (sha256);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

-- Full-text search. Messages are indexed once they stop streaming, so a growing reply does not
-- rewrite its index entry four times a second; a reply left streaming by a crash is indexed when
-- recovery marks it interrupted.
CREATE VIRTUAL TABLE messages_search USING fts5 (
    content, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE conversations_search USING fts5 (
    title, content = 'conversations', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_search_insert AFTER INSERT ON messages WHEN new.status <> 'streaming'
BEGIN
    INSERT INTO messages_search (rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages WHEN old.status <> 'streaming'
BEGIN
    INSERT INTO messages_search (messages_search, rowid, content) VALUES ('delete', old.id, old.content);
END;
-- One trigger, so that the old entry always leaves before the new one arrives.
CREATE TRIGGER messages_search_update AFTER UPDATE OF content, status ON messages
BEGIN
    INSERT INTO messages_search (messages_search, rowid, content)
        SELECT 'delete', old.id, old.content WHERE old.status <> 'streaming';
    INSERT INTO messages_search (rowid, content) SELECT new.id, new.content WHERE new.status <> 'streaming';
END;

CREATE TRIGGER conversations_search_insert AFTER INSERT ON conversations
BEGIN
    INSERT INTO conversations_search (rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER conversations_search_delete AFTER DELETE ON conversations
BEGIN
    INSERT INTO conversations_search (conversations_search, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER conversations_search_update AFTER UPDATE OF title ON conversations
BEGIN
    INSERT INTO conversations_search (conversations_search, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO conversations_search (rowid, title) VALUES (new.id, new.title);
END;

-- What version 1 stored becomes searchable too (streaming rows are skipped, as the triggers do).
INSERT INTO messages_search (rowid, content) SELECT id, content FROM messages WHERE status <> 'streaming';
INSERT INTO conversations_search (conversations_search) VALUES ('rebuild');
