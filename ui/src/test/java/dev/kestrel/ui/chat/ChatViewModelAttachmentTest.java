package dev.kestrel.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.BundledModels;
import dev.kestrel.app.chat.BlankPdf;
import dev.kestrel.app.chat.ThinkingStop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attaching files in the composer, without a window, over the real chat service and the tiny SmolVLM. */
class ChatViewModelAttachmentTest {

    static final Path SMOLVLM = BundledModels.root().orElseThrow().resolve("fixtures/tiny-smolvlm");
    static final Path SHAPES = SMOLVLM.resolve("reference/shapes-150x90.png");

    @TempDir
    Path home;

    ChatHarness harness;
    UiThread ui;
    ChatViewModel model;

    @BeforeEach
    void open() {
        harness = new ChatHarness(home, SMOLVLM);
        ui = harness.ui;
        model = harness.chat();
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void anAttachedImageShowsItsEncodingAndIsSentWithTheQuestion() {
        ui.run(() -> {
            assertThat(model.canSeeProperty().get()).isTrue();
            model.attach(List.of(SHAPES));
            assertThat(model.attachments()).singleElement().satisfies(item -> {
                assertThat(item.name()).isEqualTo("shapes-150x90.png");
                assertThat(item.readingProperty().get()).isTrue();
            });
            assertThat(model.canSendProperty().get()).as("not while a file is read").isFalse();
        });
        ui.await(() -> !model.attachments().getFirst().readingProperty().get()
                && model.attachments().getFirst().pictures().getFirst().encodedProperty().get());
        ui.run(() -> {
            AttachmentItem.PictureItem picture = model.attachments().getFirst().pictures().getFirst();
            assertThat(picture.progressProperty().get()).isEqualTo(1.0);
            assertThat(picture.failureProperty().get()).isEmpty();
            assertThat(model.canSendProperty().get()).as("a picture alone can be sent").isTrue();
            model.thinkingProperty().set(ThinkingStop.OFF);
            model.draftProperty().set("What is in this picture?");
            model.send();
            assertThat(model.attachments()).isEmpty();
            assertThat(model.messages().getFirst().pictures()).singleElement()
                    .satisfies(t -> assertThat(t.width()).isEqualTo(150));
        });
        ui.await(() -> !model.replyingProperty().get() && model.messages().getLast().footerProperty().get().contains("tokens"));

        // Opened again, the question shows its picture.
        long conversation = ui.call(() -> model.conversation().orElseThrow());
        ui.run(() -> model.newConversation());
        ui.run(() -> model.open(conversation));
        ui.await(() -> model.messages().size() == 2);
        assertThat(ui.call(() -> model.messages().getFirst().pictures())).hasSize(1);
    }

    @Test
    void aBrokenFileIsNamedAndLeavesTheRestAsItWas() throws IOException {
        byte[] png = Files.readAllBytes(SHAPES);
        Path broken = Files.write(home.resolve("broken.png"), Arrays.copyOf(png, 100));
        ui.run(() -> {
            model.draftProperty().set("keep this draft");
            model.attach(List.of(SHAPES, broken));
        });
        ui.await(() -> model.attachments().size() == 1 && !model.attachmentNoticeProperty().get().isEmpty());
        ui.run(() -> {
            assertThat(model.attachmentNoticeProperty().get()).contains("broken.png");
            assertThat(model.attachments().getFirst().name()).isEqualTo("shapes-150x90.png");
            assertThat(model.draftProperty().get()).isEqualTo("keep this draft");
        });
    }

    @Test
    void aRemovedFileIsNotSentAndAPdfSendsOnlyThePagesLeftChosen() throws IOException {
        Path pdf = Files.write(home.resolve("notes.pdf"), BlankPdf.ofPages(3));
        ui.run(() -> model.attach(List.of(SHAPES, pdf)));
        ui.await(() -> model.attachments().stream().noneMatch(a -> a.readingProperty().get()));
        ui.run(() -> {
            model.remove(model.attachments().getFirst());
            AttachmentItem notes = model.attachments().getFirst();
            assertThat(notes.isPdf()).isTrue();
            assertThat(notes.pictures()).extracting(AttachmentItem.PictureItem::page).containsExactly(1, 2, 3);
            notes.pictures().get(0).chosenProperty().set(false);
            model.thinkingProperty().set(ThinkingStop.OFF);
            model.draftProperty().set("Read these");
            model.send();
            assertThat(model.messages().getFirst().pictures()).hasSize(2);
        });
        ui.await(() -> !model.replyingProperty().get() && model.messages().getLast().footerProperty().get().contains("tokens"));
    }

    @Test
    void aLongPdfShowsItsFirstPagesAndOthersCanBeChosenInstead() throws IOException {
        Path book = Files.write(home.resolve("book.pdf"), BlankPdf.ofPages(13));
        ui.run(() -> model.attach(List.of(book)));
        ui.await(() -> !model.attachments().getFirst().readingProperty().get());
        AttachmentItem item = ui.call(() -> model.attachments().getFirst());
        ui.run(() -> {
            assertThat(item.canChoosePages()).isTrue();
            assertThat(item.pagesProperty().get()).isEqualTo("1-10");
            assertThat(item.noteProperty().get()).isEqualTo("book.pdf has 13 pages; pages 1-10 are shown, and up to 10 others can be chosen instead");
            model.choosePages(item, "twelve");
        });
        ui.await(() -> !item.readingProperty().get());
        ui.run(() -> {
            assertThat(model.attachmentNoticeProperty().get()).isEqualTo("'twelve' is not a page range; write pages like 1-3,5");
            assertThat(item.pagesProperty().get()).isEqualTo("1-10");
            model.choosePages(item, "2-12");
        });
        ui.await(() -> !item.readingProperty().get());
        ui.run(() -> {
            assertThat(model.attachmentNoticeProperty().get()).isEqualTo("choose from 1 to 10 pages of 'book.pdf' at a time, not 11");
            assertThat(item.pagesProperty().get()).as("the pages shown before stay").isEqualTo("1-10");
            model.choosePages(item, "11-13, 1");
            assertThat(model.canSendProperty().get()).as("not while the pages render").isFalse();
        });
        ui.await(() -> !item.readingProperty().get() && item.pictures().size() == 4);
        ui.run(() -> {
            assertThat(item.pictures()).extracting(AttachmentItem.PictureItem::page).containsExactly(1, 11, 12, 13);
            assertThat(item.pagesProperty().get()).isEqualTo("1,11-13");
            assertThat(model.attachmentNoticeProperty().get()).isEmpty();
            model.thinkingProperty().set(ThinkingStop.OFF);
            model.draftProperty().set("Read the end");
            model.send();
            assertThat(model.messages().getFirst().pictures()).hasSize(4);
        });
        ui.await(() -> !model.replyingProperty().get() && model.messages().getLast().footerProperty().get().contains("tokens"));
    }
}
