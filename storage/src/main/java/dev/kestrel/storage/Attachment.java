package dev.kestrel.storage;

/**
 * A file attached to messages, stored once however many messages use it. {@code width} and
 * {@code height} are pixels for images (0 otherwise), {@code pages} the page count of a PDF (0
 * otherwise).
 */
public record Attachment(String sha256, String mimeType, long size, int width, int height, int pages) {}
