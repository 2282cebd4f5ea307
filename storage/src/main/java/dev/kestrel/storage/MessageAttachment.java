package dev.kestrel.storage;

/**
 * An attachment as one message uses it: its place among the message's attachments, the file name it
 * was attached as, and the PDF pages chosen (e.g. "1,3-4"; empty for all pages or for images).
 */
public record MessageAttachment(Attachment attachment, int position, String name, String pages) {}
