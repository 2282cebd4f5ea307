package dev.kestrel.app.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.app.AppException;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.BundledModels;
import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.storage.Database;
import dev.kestrel.storage.MessageAttachment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files attached in the window: read and encoded at once, sent, stored, shown again and sent again; on the tiny SmolVLM. */
class ChatAttachmentTest {

    static final Path SMOLVLM = Path.of(System.getProperty("kestrel.root")).resolve("models/fixtures/tiny-smolvlm");
    static final Path SHAPES = SMOLVLM.resolve("reference/shapes-150x90.png");

    @TempDir
    Path home;

    @Test
    void anAttachedImageIsEncodedBeforeSendingStoredWithTheQuestionAndSentAgainWithTheNextOne() throws Exception {
        AppPaths paths = new AppPaths(home);
        try (ChatService chat = ChatService.open(paths, SMOLVLM)) {
            Attachment image = chat.attach(SHAPES);
            assertThat(image.isPdf()).isFalse();
            assertThat(image.pictures()).singleElement().satisfies(picture -> {
                assertThat(picture.label()).isEqualTo("shapes-150x90.png");
                assertThat(picture.thumbnail().width()).isEqualTo(150); // smaller than a thumbnail: kept as it is
                assertThat(picture.thumbnail().height()).isEqualTo(90);
            });
            // Encoding started on attach, before anything was sent.
            waitUntil(() -> image.pictures().getFirst().isDone());
            assertThat(image.pictures().getFirst().failure()).isEmpty();
            assertThat(image.pictures().getFirst().progress()).isEqualTo(1.0);

            ReplyEvent.Finished first = finished(chat.send(OptionalLong.empty(), "What is in this picture?", List.of(image),
                    ThinkingStop.OFF, e -> {}));
            long conversation = chat.history().conversations(1).getFirst().id();
            ReplyEvent.Finished again = finished(chat.send(OptionalLong.of(conversation), "And now?", List.of(), ThinkingStop.OFF,
                    e -> {}));
            // The same follow-up in a conversation that began without the picture reads fewer tokens: the picture was sent again.
            ReplyEvent.Finished textFirst = finished(chat.send(OptionalLong.empty(), "What is in this picture?", List.of(),
                    ThinkingStop.OFF, e -> {}));
            ReplyEvent.Finished textAgain = finished(chat.send(OptionalLong.of(chat.history().conversations(1).getFirst().id()), "And now?",
                    List.of(), ThinkingStop.OFF, e -> {}));
            int imageTokens = first.stats().promptTokens() - textFirst.stats().promptTokens();
            assertThat(imageTokens).isPositive();
            // The two first replies may differ in length by a few tokens; without the picture sent again, the
            // follow-ups would differ by that alone.
            int replies = Math.abs(first.stats().completionTokens() - textFirst.stats().completionTokens());
            assertThat(imageTokens).isGreaterThan(replies + 50);
            assertThat(again.stats().promptTokens() - textAgain.stats().promptTokens())
                    .isCloseTo(imageTokens, org.assertj.core.api.Assertions.within(replies + 2));

            List<HistoryMessage> shown = chat.history().messages(conversation);
            assertThat(shown.getFirst().pictures()).singleElement().satisfies(t -> assertThat(t.width()).isEqualTo(150));
            assertThat(shown.get(2).pictures()).isEmpty();
        }
        try (Database database = Database.open(paths.database())) {
            long conversation = database.conversations().recent(10).getLast().id();
            long question = database.messages().latestBranch(conversation).getFirst().id();
            assertThat(database.attachments().ofMessage(question)).singleElement().satisfies(file -> {
                assertThat(file.name()).isEqualTo("shapes-150x90.png");
                assertThat(file.attachment().mimeType()).isEqualTo("image/png");
                assertThat(file.attachment().width()).isEqualTo(150);
                assertThat(database.attachments().bytes(file.attachment().sha256())).isEqualTo(Files.readAllBytes(SHAPES));
            });
        }
    }

    @Test
    void aPdfOffersItsPagesAndOnlyTheChosenOnesAreSentAndKept() throws Exception {
        try (ChatService chat = ChatService.open(new AppPaths(home), SMOLVLM)) {
            Attachment pdf = chat.attach("notes.pdf", BlankPdf.ofPages(3));
            assertThat(pdf.isPdf()).isTrue();
            assertThat(pdf.pictures()).extracting(Attachment.Picture::page).containsExactly(1, 2, 3);
            assertThat(pdf.note()).isEmpty();
            pdf.pictures().get(1).choose(false);
            ReplyEvent.Finished reply = finished(chat.send(OptionalLong.empty(), "", List.of(pdf), ThinkingStop.OFF, e -> {}));
            assertThat(reply.outcome()).isEqualTo(ReplyOutcome.COMPLETE);
            ConversationSummary conversation = chat.history().conversations(1).getFirst();
            assertThat(conversation.title()).isEqualTo("notes.pdf"); // files alone: the first file names the conversation
            assertThat(chat.history().messages(conversation.id()).getFirst().pictures()).hasSize(2);

            Attachment book = chat.attach("book.pdf", BlankPdf.ofPages(12));
            assertThat(book.pictures()).hasSize(Attachment.MAX_PAGES);
            assertThat(book.note()).contains("book.pdf has 12 pages; pages 1-10 are shown, and up to 10 others can be chosen instead");
            assertThat(book.pageCount()).isEqualTo(12);
            // The pages past the tenth, chosen instead.
            Attachment end = chat.choosePages(book, "9-12");
            assertThat(end.pictures()).extracting(Attachment.Picture::page).containsExactly(9, 10, 11, 12);
            assertThat(end.pagesText()).isEqualTo("9-12");
            assertThat(book.pictures()).as("the first choice is left as it was").hasSize(10);
            assertThatThrownBy(() -> chat.choosePages(book, "1-11")).hasMessage("choose from 1 to 10 pages of 'book.pdf' at a time, not 11");
            assertThatThrownBy(() -> chat.choosePages(book, "13")).hasMessage("'book.pdf' has 12 pages; there is no page 13");
            book.discard();
            end.discard();
        }
        try (Database database = Database.open(new AppPaths(home).database())) {
            long question = database.messages().latestBranch(database.conversations().recent(1).getFirst().id()).getFirst().id();
            assertThat(database.attachments().ofMessage(question)).extracting(MessageAttachment::pages).containsExactly("1,3");
        }
    }

    @Test
    void brokenFilesAndTextOnlyModelsAreRefusedWithTheReason(@TempDir Path files) throws IOException {
        byte[] png = Files.readAllBytes(SHAPES);
        try (ChatService chat = ChatService.open(new AppPaths(home), SMOLVLM)) {
            assertThatThrownBy(() -> chat.attach("cut.png", Arrays.copyOf(png, png.length / 2)))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("cut.png");
            assertThatThrownBy(() -> chat.attach("notes.txt", "just text".getBytes()))
                    .hasMessage("image 'notes.txt' is not a PNG, JPEG, WebP, BMP or GIF");
            assertThatThrownBy(() -> chat.attach(files.resolve("gone.png"))).hasMessageContaining("does not exist");
            assertThatThrownBy(() -> chat.attachPixels("pasted.png", 0, 0, new int[0])).isInstanceOf(AppException.class);
            Attachment pasted = chat.attachPixels("pasted.png", 2, 1, new int[] {0xFFFF0000, 0xFF0000FF});
            assertThat(pasted.pictures().getFirst().thumbnail().argb()).containsExactly(0xFFFF0000, 0xFF0000FF);
            assertThatThrownBy(() -> chat.send(OptionalLong.empty(), " ", List.of(), ThinkingStop.OFF, e -> {}))
                    .hasMessage("the message is empty");
            pasted.discard();
        }
        try (ChatService chat = ChatService.open(new AppPaths(home.resolve("text")), BundledModels.model("fixtures/tiny-decoder"))) {
            assertThat(chat.canSee()).isFalse();
            assertThatThrownBy(() -> chat.attach(SHAPES)).isInstanceOf(AppException.class)
                    .hasMessage("model 'tiny-decoder' reads text only and cannot take images (shapes-150x90.png)");
        }
    }

    private static ReplyEvent.Finished finished(Reply reply) throws Exception {
        ReplyEvent end = reply.done().get(60, TimeUnit.SECONDS);
        assertThat(end).isInstanceOf(ReplyEvent.Finished.class);
        return (ReplyEvent.Finished) end;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
