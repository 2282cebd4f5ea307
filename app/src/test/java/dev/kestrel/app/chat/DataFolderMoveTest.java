package dev.kestrel.app.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.app.AppException;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.BundledModels;
import dev.kestrel.app.DataFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Moving the data folder and choosing threads: settings that live outside one conversation, on real files and the real engine. */
class DataFolderMoveTest {

    @TempDir
    Path old;

    @TempDir
    Path elsewhere;

    @TempDir
    Path config;

    String configBefore;

    @BeforeEach
    void ownConfigFolder() {
        configBefore = System.getProperty(DataFolder.CONFIG_PROPERTY);
        System.setProperty(DataFolder.CONFIG_PROPERTY, config.toString());
    }

    @AfterEach
    void restoreConfigFolder() {
        if (configBefore == null) {
            System.clearProperty(DataFolder.CONFIG_PROPERTY);
        } else {
            System.setProperty(DataFolder.CONFIG_PROPERTY, configBefore);
        }
    }

    @Test
    void theHistoryAndModelsAreCopiedThereTheOldFolderStaysAsItWasAndTheNextStartOpensTheNewOne() throws Exception {
        AppPaths paths = new AppPaths(old);
        Files.createDirectories(paths.models().resolve("mine"));
        Files.writeString(paths.models().resolve("mine/config.json"), "{}");
        Path target = elsewhere.resolve("Kestrel data");
        String said;
        try (ChatService chat = ChatService.open(paths, BundledModels.model("fixtures/tiny-decoder"))) {
            chat.send(OptionalLong.empty(), "hello", e -> {}).done().get(30, TimeUnit.SECONDS);
            said = chat.moveDataTo(target);
        }
        assertThat(said).contains("copied to " + target).contains("left as it was");
        assertThat(target.resolve("models/mine/config.json")).hasContent("{}");
        assertThat(target.resolve("kestrel.db.part")).doesNotExist();
        assertThat(config.resolve("data-folder")).content().isEqualToIgnoringNewLines(target.toString());
        try (ChatService moved = ChatService.open(new AppPaths(target), BundledModels.model("fixtures/tiny-decoder"));
                ChatService left = ChatService.open(paths, BundledModels.model("fixtures/tiny-decoder"))) {
            assertThat(moved.history().conversations(10)).extracting(ConversationSummary::title).containsExactly("hello");
            assertThat(left.history().conversations(10)).extracting(ConversationSummary::title).containsExactly("hello");
            // Back again: the old folder already holds a history, which is taken as it is.
            assertThat(moved.moveDataTo(old)).contains("uses the history already in " + old);
        }
        assertThat(config.resolve("data-folder")).content().isEqualToIgnoringNewLines(old.toString());
    }

    @Test
    void aFolderInsideTheDataFolderIsRefusedAndNothingIsChosen() {
        try (ChatService chat = ChatService.open(new AppPaths(old), BundledModels.model("fixtures/tiny-decoder"))) {
            assertThatThrownBy(() -> chat.moveDataTo(old.resolve("inner"))).isInstanceOf(AppException.class)
                    .hasMessageContaining("choose a folder outside " + old);
            assertThat(chat.moveDataTo(old)).contains("already in");
        }
        assertThat(config.resolve("data-folder")).doesNotExist();
    }

    @Test
    void deviceAndThreadsAreKeptForTheNextLoadAndNonsenseIsRefused() {
        AppPaths paths = new AppPaths(old);
        try (ChatService chat = ChatService.open(paths, BundledModels.model("fixtures/tiny-decoder"))) {
            assertThat(chat.threads()).isEmpty();
            chat.setThreads(OptionalInt.of(1));
            assertThat(chat.deviceChoice()).isEqualTo("auto");
            chat.setDeviceChoice("cpu");
            assertThatThrownBy(() -> chat.setDeviceChoice("tpu")).hasMessage("the device must be one of auto, cpu, gpu, npu, not 'tpu'");
            assertThatThrownBy(() -> chat.setThreads(OptionalInt.of(0))).isInstanceOf(AppException.class)
                    .hasMessage("threads must be from 1 to 1024, or empty for one per core; not 0");
        }
        try (ChatService chat = ChatService.open(paths, BundledModels.model("fixtures/tiny-decoder"))) {
            assertThat(chat.threads()).hasValue(1);
            assertThat(chat.deviceChoice()).isEqualTo("cpu");
            assertThat(chat.send(OptionalLong.empty(), "hello", e -> {}).done()).succeedsWithin(30, TimeUnit.SECONDS);
            chat.setThreads(OptionalInt.empty());
            assertThat(chat.threads()).isEmpty();
        }
    }
}
