package dev.kestrel.ui.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.app.AppPaths;
import dev.kestrel.app.BundledModels;
import dev.kestrel.ui.KestrelWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.animation.AnimationTimer;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window's figures for docs/bench/ui.md, printed and written to target/bench/ui.md; nothing is
 * asserted about time. Launch: from building the window to the window shown, and to the bundled
 * model ready. Streaming: a long Markdown reply arrives at 50 tokens/s, one update per token (the
 * app coalesces more when tokens come faster), while a pulse timer records the gaps between
 * frames; the longest gap is the longest stall of the UI thread. The peer run streams the same
 * text into a question, which is shown as plain text, so the ratio is what Markdown costs. The first
 * {@value #WARM_UP} tokens warm up and are not counted.
 *
 * <p>Run: {@code xvfb-run ./mvnw -pl ui -am verify -Dtest=UiBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@ExtendWith(ApplicationExtension.class)
class UiBenchmark {

    static final int TOKENS_PER_SECOND = 50;
    static final int TOKENS = 400;
    /** Tokens streamed before measuring: the first frames lay the window out and load the Markdown classes. */
    static final int WARM_UP = 25;
    static final List<String> REPORT = new ArrayList<>();

    @TempDir
    static Path home;

    @Test
    void launch(FxRobot robot) throws Exception {
        AtomicReference<KestrelWindow> window = new AtomicReference<>();
        long start = System.nanoTime();
        AtomicReference<Double> shownMs = new AtomicReference<>();
        robot.interact(() -> {
            window.set(KestrelWindow.show(new Stage(), new AppPaths(home), BundledModels::defaultModel));
            shownMs.set((System.nanoTime() - start) / 1e6);
        });
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> window.get().chat().readyProperty().get());
        double readyMs = (System.nanoTime() - start) / 1e6;
        robot.interact(() -> window.get().close());
        REPORT.add(String.format(Locale.ROOT, "| launch: window shown | %.0f ms |", shownMs.get()));
        REPORT.add(String.format(Locale.ROOT, "| launch: bundled model ready, composer usable | %.0f ms |", readyMs));
        assertThat(readyMs).isPositive();
    }

    @Test
    void streaming(FxRobot robot) throws Exception {
        Stats markdown = stream(robot, MessageItem.Author.ASSISTANT);
        Stats plain = stream(robot, MessageItem.Author.USER);
        REPORT.add(String.format(Locale.ROOT, "| streaming %d tokens at %d tokens/s as Markdown: longest frame gap | %.1f ms |", TOKENS,
                TOKENS_PER_SECOND, markdown.longestMs));
        REPORT.add(String.format(Locale.ROOT, "| same: frame gap p99 / median | %.1f / %.1f ms |", markdown.p99Ms, markdown.medianMs));
        REPORT.add(String.format(Locale.ROOT, "| same: time in one update (parse and rebuild), median / max | %.2f / %.2f ms |",
                markdown.updateMedianMs, markdown.updateMaxMs));
        REPORT.add(String.format(Locale.ROOT, "| peer, plain text: longest frame gap | %.1f ms (Markdown %.2fx) |", plain.longestMs,
                markdown.longestMs / plain.longestMs));
        REPORT.add(String.format(Locale.ROOT, "| peer, plain text: time in one update, median / max | %.2f / %.2f ms |",
                plain.updateMedianMs, plain.updateMaxMs));
        assertThat(markdown.frames).isPositive();
    }

    private record Stats(int frames, double longestMs, double p99Ms, double medianMs, double updateMedianMs, double updateMaxMs) {}

    private static Stats stream(FxRobot robot, MessageItem.Author author) throws InterruptedException {
        List<String> tokens = tokens();
        List<Long> pulses = new ArrayList<>();
        List<Long> updates = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Stage> stage = new AtomicReference<>();
        robot.interact(() -> {
            ChatViewModel model = new ChatViewModel(Platform::runLater, Runnable::run);
            MessageItem item = new MessageItem(author, "");
            model.messages().add(item);
            Stage window = new Stage();
            Scene scene = new Scene(new ChatView(model), 960, 680);
            scene.getStylesheets().add(KestrelWindow.class.getResource("theme/kestrel.css").toExternalForm());
            window.setScene(scene);
            window.show();
            stage.set(window);
            int[] next = {0};
            AnimationTimer pulse = new AnimationTimer() {
                @Override
                public void handle(long now) {
                    if (next[0] >= WARM_UP) {
                        pulses.add(System.nanoTime());
                    }
                }
            };
            pulse.start();
            Timeline feed = new Timeline(new KeyFrame(Duration.millis(1000.0 / TOKENS_PER_SECOND), e -> {
                long t = System.nanoTime();
                item.append(tokens.get(next[0]++));
                if (next[0] > WARM_UP) {
                    updates.add(System.nanoTime() - t);
                }
            }));
            feed.setCycleCount(tokens.size());
            feed.setOnFinished(e -> {
                pulse.stop();
                done.countDown();
            });
            feed.play();
        });
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        robot.interact(() -> stage.get().close());
        long[] gaps = new long[pulses.size() - 1];
        for (int i = 1; i < pulses.size(); i++) {
            gaps[i - 1] = pulses.get(i) - pulses.get(i - 1);
        }
        Arrays.sort(gaps);
        long[] update = updates.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Stats(gaps.length, gaps[gaps.length - 1] / 1e6, gaps[(int) (gaps.length * 0.99)] / 1e6, gaps[gaps.length / 2] / 1e6,
                update[update.length / 2] / 1e6, update[update.length - 1] / 1e6);
    }

    /** A reply of the kind real models write: headings, lists, a table, code. */
    static List<String> tokens() {
        String unit = """
                ## Step %d

                Here is **what** to do, with `inline code` and a [link](https://example.org):

                1. Open the file and read it.
                2. Count the *shapes* in each row.
                - a bullet with more words in it than fit on one line of a narrow window, to wrap

                | colour | count |
                |--------|------:|
                | red    | 3     |

                ```java
                int total = rows.stream().mapToInt(Row::count).sum();
                System.out.println(total);
                ```

                """;
        List<String> out = new ArrayList<>();
        for (int step = 1; out.size() < TOKENS; step++) {
            for (String word : unit.formatted(step).split("(?<=\\s)")) {
                out.add(word);
            }
        }
        return out.subList(0, TOKENS);
    }

    @AfterAll
    static void report() throws IOException {
        List<String> lines = new ArrayList<>(List.of("| what | figure |", "|---|---|"));
        lines.addAll(REPORT);
        String table = String.join("\n", lines) + "\n";
        System.out.println(table);
        Path out = Path.of("target", "bench", "ui.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
    }
}
