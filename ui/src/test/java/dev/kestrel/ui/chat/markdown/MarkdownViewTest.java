package dev.kestrel.ui.chat.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.ui.KestrelWindow;
import dev.kestrel.ui.Screenshots;
import java.util.List;
import java.util.stream.Collectors;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.Clipboard;
import javafx.scene.layout.GridPane;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Replies' Markdown as nodes, in a real window under X. */
@ExtendWith(ApplicationExtension.class)
class MarkdownViewTest {

    MarkdownView view;

    @Start
    void start(Stage stage) {
        view = new MarkdownView();
        Scene scene = new Scene(view, 600, 600);
        scene.getStylesheets().add(KestrelWindow.class.getResource("theme/kestrel.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void blocksAndInlineStylesBecomeTheirOwnNodes(FxRobot robot) {
        robot.interact(() -> view.setMarkdown("""
                # Plan

                Some **bold**, *italic*, ~~gone~~ and `code` with a [link](https://example.org).

                1. first
                2. second

                - a
                - b

                > quoted

                | Name | Count |
                |:-----|------:|
                | red  | 3     |

                ---
                <b>not run</b>
                """));

        assertThat(texts(view.getChildren().get(0))).isEqualTo("Plan");
        assertThat(view.getChildren().get(0).getStyleClass()).contains("md-h1");
        TextFlow paragraph = (TextFlow) view.getChildren().get(1);
        assertThat(styledText(paragraph, "md-bold")).isEqualTo("bold");
        assertThat(styledText(paragraph, "md-italic")).isEqualTo("italic");
        assertThat(styledText(paragraph, "md-strike")).isEqualTo("gone");
        assertThat(styledText(paragraph, "md-code")).isEqualTo("code");
        assertThat(styledText(paragraph, "md-link")).isEqualTo("link");
        assertThat(robot.from(view).lookup(".md-marker").queryAllAs(Label.class)).extracting(Label::getText)
                .containsExactly("1.", "2.", "•", "•");
        assertThat(texts(robot.from(view).lookup(".md-quote").query())).isEqualTo("quoted");
        GridPane table = robot.from(view).lookup(".md-table").queryAs(GridPane.class);
        assertThat(table.getChildren()).hasSize(4);
        assertThat(((TextFlow) table.getChildren().get(3)).getTextAlignment()).isEqualTo(javafx.scene.text.TextAlignment.RIGHT);
        assertThat(robot.from(view).lookup(".md-header-cell").queryAll()).hasSize(2);
        assertThat(robot.from(view).lookup(".md-rule").queryAll()).hasSize(1);
        assertThat(texts(view.getChildren().getLast())).isEqualTo("<b>not run</b>");
        robot.interact(() -> Screenshots.save(view.getScene(), "markdown"));
    }

    @Test
    void aCodeBlockKeepsItsTextAndCopiesIt(FxRobot robot) {
        robot.interact(() -> view.setMarkdown("Run:\n\n```java\nint x = 1;\n  return x;\n```\n"));
        assertThat(robot.from(view).lookup(".md-code-language").queryAs(Label.class).getText()).isEqualTo("java");
        assertThat(robot.from(view).lookup(".md-code-text").queryAs(Text.class).getText()).isEqualTo("int x = 1;\n  return x;");
        robot.clickOn(robot.from(view).lookup(".md-copy").queryAs(Button.class));
        robot.interact(() -> assertThat(Clipboard.getSystemClipboard().getString()).isEqualTo("int x = 1;\n  return x;"));
    }

    @Test
    void aStreamingReplyShowsAnOpenCodeFenceAsCodeSoFar(FxRobot robot) {
        robot.interact(() -> view.setMarkdown("Here:\n\n```\nprint(1"));
        assertThat(robot.from(view).lookup(".md-code-text").queryAs(Text.class).getText()).isEqualTo("print(1");
        robot.interact(() -> view.setMarkdown("Here:\n\n```\nprint(1)\n```\nDone."));
        assertThat(texts(view.getChildren().getLast())).isEqualTo("Done.");
    }

    @Test
    void unchangedBlocksKeepTheirNodesAsTheTextGrows(FxRobot robot) {
        robot.interact(() -> view.setMarkdown("# Title\n\nFirst paragraph.\n\nSecond"));
        Node title = view.getChildren().get(0);
        Node first = view.getChildren().get(1);
        robot.interact(() -> view.setMarkdown("# Title\n\nFirst paragraph.\n\nSecond, longer"));
        assertThat(view.getChildren()).hasSize(3);
        assertThat(view.getChildren().get(0)).isSameAs(title);
        assertThat(view.getChildren().get(1)).isSameAs(first);
        assertThat(texts(view.getChildren().get(2))).isEqualTo("Second, longer");
        // A change above rebuilds from there down.
        robot.interact(() -> view.setMarkdown("# Title\n\nFirst paragraph, edited.\n\nSecond, longer"));
        assertThat(view.getChildren().get(0)).isSameAs(title);
        assertThat(view.getChildren().get(1)).isNotSameAs(first);
        assertThat(texts(view.getChildren().get(1))).isEqualTo("First paragraph, edited.");
        robot.interact(() -> view.setMarkdown("Just one"));
        assertThat(view.getChildren()).hasSize(1);
        assertThat(texts(view.getChildren().getFirst())).isEqualTo("Just one");
    }

    private static String texts(Node node) {
        if (node instanceof Text text) {
            return text.getText();
        }
        if (node instanceof Parent parent) {
            return parent.getChildrenUnmodifiable().stream().map(MarkdownViewTest::texts).collect(Collectors.joining());
        }
        return "";
    }

    private static String styledText(TextFlow flow, String styleClass) {
        List<String> parts = flow.getChildren().stream().filter(n -> n.getStyleClass().contains(styleClass))
                .map(n -> ((Text) n).getText()).toList();
        return String.join("", parts);
    }
}
