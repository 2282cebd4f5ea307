package dev.kestrel.storage;

/**
 * A file to attach to a new message: the name it was attached as, its type and bytes, its size in
 * pixels (images) or its page count (PDFs), 0 where that does not apply, and the PDF pages chosen
 * (e.g. "1,3-4"; empty for all).
 */
public record NewAttachment(String name, String mimeType, byte[] bytes, int width, int height, int pages, String chosenPages) {

    public static NewAttachment image(String name, String mimeType, byte[] bytes, int width, int height) {
        return new NewAttachment(name, mimeType, bytes, width, height, 0, "");
    }
}
