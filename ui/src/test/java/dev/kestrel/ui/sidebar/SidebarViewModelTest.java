package dev.kestrel.ui.sidebar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.BundledModels;
import dev.kestrel.app.chat.ChatService;
import dev.kestrel.app.chat.ConversationSummary;
import dev.kestrel.app.chat.HistoryHit;
import dev.kestrel.ui.chat.ChatHarness;
import dev.kestrel.ui.chat.UiThread;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidebar's list, search and deletion with undo, without a window, over the real history. */
class SidebarViewModelTest {

    @TempDir
    Path home;

    ChatHarness harness;
    UiThread ui;
    ChatService service;
    SidebarViewModel model;
    List<Long> deleted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        harness = new ChatHarness(home, BundledModels.model("fixtures/tiny-decoder"));
        ui = harness.ui;
        service = harness.service;
        service.send(OptionalLong.empty(), "hello zebra", e -> {}).done().get(30, TimeUnit.SECONDS);
        service.send(OptionalLong.empty(), "Kestrel", e -> {}).done().get(30, TimeUnit.SECONDS);
        model = new SidebarViewModel(ui.executor(), harness.background);
        model.setOnDeleted(deleted::add);
        onUi(() -> {
            model.attach(service);
            return null;
        });
        await(() -> model.conversations().size() == 2);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void conversationsAreGroupedByDayWithPinnedOnesFirst() {
        LocalDate today = LocalDate.of(2026, 11, 22);
        List<ConversationSummary> list = List.of(
                summary(1, "pinned old", today.minusDays(400), true),
                summary(2, "now", today, false),
                summary(3, "also today", today, false),
                summary(4, "yesterday", today.minusDays(1), false),
                summary(5, "last week", today.minusDays(5), false),
                summary(6, "this month", today.minusDays(20), false),
                summary(7, "in March", LocalDate.of(2026, 3, 2), false),
                summary(8, "last year", LocalDate.of(2025, 12, 30), false));
        List<SidebarViewModel.Row> rows = SidebarViewModel.group(list, today, ZoneOffset.UTC);
        assertThat(rows.stream().map(SidebarViewModelTest::describe).toList()).containsExactly(
                "# Pinned", "pinned old", "# Today", "now", "also today", "# Yesterday", "yesterday", "# Previous 7 days", "last week",
                "# Previous 30 days", "this month", "# March", "in March", "# December 2025", "last year");
    }

    @Test
    void aDeletedConversationCanBeBroughtBackUntilTheDeletionIsCommitted() {
        long zebra = onUi(() -> model.conversations().getLast().id());
        onUi(() -> {
            model.delete(model.conversations().getLast());
            assertThat(model.conversations()).extracting(ConversationSummary::title).containsExactly("Kestrel");
            assertThat(model.rows()).hasSize(2); // "Today" and Kestrel
            assertThat(model.pendingDeleteProperty().get()).isEqualTo("hello zebra");
            model.undoDelete();
            return null;
        });
        await(() -> model.conversations().size() == 2 && model.pendingDeleteProperty().get().isEmpty());
        assertThat(service.history().conversations(10)).hasSize(2);

        onUi(() -> {
            model.delete(model.conversations().getLast());
            model.commitDelete();
            return null;
        });
        await(() -> deleted.contains(zebra));
        assertThat(service.history().conversations(10)).extracting(ConversationSummary::title).containsExactly("Kestrel");
    }

    @Test
    void searchingShowsHitsAcrossAllHistoryAndClearingTheBoxShowsTheListAgain() {
        onUi(() -> {
            model.queryProperty().set("zeb");
            assertThat(model.searchingProperty().get()).isTrue();
            return null;
        });
        await(() -> !model.hits().isEmpty());
        HistoryHit hit = onUi(() -> model.hits().getFirst());
        assertThat(hit.title()).isEqualTo("hello zebra");
        onUi(() -> {
            model.queryProperty().set("");
            assertThat(model.searchingProperty().get()).isFalse();
            assertThat(model.hits()).isEmpty();
            return null;
        });
    }

    @Test
    void renamingAndPinningAreStoredAndShown() {
        onUi(() -> {
            ConversationSummary zebra = model.conversations().getLast();
            model.rename(zebra, "Zebras");
            model.togglePin(zebra);
            return null;
        });
        await(() -> model.conversations().getFirst().title().equals("Zebras") && model.conversations().getFirst().pinned());
        onUi(() -> {
            model.rename(model.conversations().getFirst(), "   ");
            return null;
        });
        await(() -> model.noticeProperty().get().equals("a conversation's title may not be empty"));
    }

    private static ConversationSummary summary(long id, String title, LocalDate day, boolean pinned) {
        return new ConversationSummary(id, title, day.atTime(12, 0).toInstant(ZoneOffset.UTC), pinned);
    }

    private static String describe(SidebarViewModel.Row row) {
        return switch (row) {
            case SidebarViewModel.Row.Heading heading -> "# " + heading.label();
            case SidebarViewModel.Row.Entry entry -> entry.conversation().title();
        };
    }

    private void await(Callable<Boolean> condition) {
        ui.await(condition);
    }

    private <T> T onUi(Callable<T> action) {
        return ui.call(action);
    }
}
