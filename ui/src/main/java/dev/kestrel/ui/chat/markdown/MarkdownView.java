package dev.kestrel.ui.chat.markdown;

import dev.kestrel.ui.controls.Icons;
import org.kordamp.ikonli.feather.Feather;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;
import javafx.scene.text.TextFlow;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListBlock;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.ThematicBreak;
import org.commonmark.node.SourceSpan;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * A reply's Markdown as JavaFX nodes: CommonMark (headings, paragraphs, lists, quotes, code blocks
 * with a Copy button, inline code, emphasis, links) with GitHub's tables and strikethrough. Text is
 * set whole each time; while a reply streams, that is once per frame at most, and an unfinished
 * construct (an open code fence) shows as what it is so far. Raw HTML is shown as text, never run.
 */
public final class MarkdownView extends VBox {

    private static final Parser PARSER = Parser.builder()
            .extensions(List.of(TablesExtension.create(), StrikethroughExtension.create()))
            .includeSourceSpans(IncludeSourceSpans.BLOCKS)
            .build();

    private enum Style { BOLD, ITALIC, STRIKE, LINK, CODE }

    private String markdown = "";
    /** Each top-level block's source and its nodes, so that an unchanged block keeps its nodes. */
    private List<Rendered> rendered = List.of();

    private record Rendered(String source, Node node) {}

    public MarkdownView() {
        super(6);
        getStyleClass().add("markdown");
    }

    /**
     * Shows {@code text}. Blocks whose source is unchanged keep their nodes (while a reply streams,
     * only its last block changes), so an update costs a parse and the last block, not the whole
     * reply (docs/bench/ui.md). A block whose meaning changed without its source (a link whose
     * reference is defined further down, later) shows the change with the next edit above it.
     */
    public void setMarkdown(String text) {
        if (text.equals(markdown) && !getChildren().isEmpty()) {
            return;
        }
        markdown = text;
        org.commonmark.node.Node document = PARSER.parse(text);
        List<Rendered> next = new ArrayList<>();
        int kept = 0;
        for (org.commonmark.node.Node block = document.getFirstChild(); block != null; block = block.getNext()) {
            String source = source(block, text);
            int index = next.size();
            if (kept == index && index < rendered.size() && source != null && source.equals(rendered.get(index).source())) {
                next.add(rendered.get(index));
                kept++;
            } else {
                next.add(new Rendered(source, block(block)));
            }
        }
        rendered = next;
        getChildren().remove(Math.min(kept, getChildren().size()), getChildren().size());
        getChildren().addAll(next.subList(kept, next.size()).stream().map(Rendered::node).toList());
    }

    private static String source(org.commonmark.node.Node block, String text) {
        List<SourceSpan> spans = block.getSourceSpans();
        if (spans.isEmpty()) {
            return null;
        }
        SourceSpan last = spans.getLast();
        return text.substring(spans.getFirst().getInputIndex(), last.getInputIndex() + last.getLength());
    }

    public String markdown() {
        return markdown;
    }

    private List<Node> blocks(org.commonmark.node.Node parent) {
        List<Node> out = new ArrayList<>();
        for (org.commonmark.node.Node block = parent.getFirstChild(); block != null; block = block.getNext()) {
            out.add(block(block));
        }
        return out;
    }

    private Node block(org.commonmark.node.Node block) {
        return switch (block) {
            case Paragraph paragraph -> flow(paragraph, "md-paragraph");
            case Heading heading -> flow(heading, "md-h" + Math.min(heading.getLevel(), 6));
            case ListBlock list -> list(list);
            case BlockQuote quote -> styled(new VBox(6), "md-quote", blocks(quote));
            case FencedCodeBlock code -> codeBlock(code.getLiteral(), code.getInfo());
            case IndentedCodeBlock code -> codeBlock(code.getLiteral(), "");
            case ThematicBreak rule -> styled(new Separator(), "md-rule");
            case HtmlBlock html -> styled(new TextFlow(new Text(html.getLiteral().strip())), "md-paragraph");
            case TableBlock table -> table(table);
            default -> flow(block, "md-paragraph");
        };
    }

    private TextFlow flow(org.commonmark.node.Node parent, String styleClass) {
        TextFlow flow = new TextFlow();
        flow.getStyleClass().add(styleClass);
        inlines(parent, flow, EnumSet.noneOf(Style.class));
        return flow;
    }

    private void inlines(org.commonmark.node.Node parent, TextFlow flow, Set<Style> styles) {
        for (org.commonmark.node.Node inline = parent.getFirstChild(); inline != null; inline = inline.getNext()) {
            switch (inline) {
                case org.commonmark.node.Text text -> flow.getChildren().add(text(text.getLiteral(), styles));
                case Code code -> flow.getChildren().add(text(code.getLiteral(), with(styles, Style.CODE)));
                case Emphasis emphasis -> inlines(emphasis, flow, with(styles, Style.ITALIC));
                case StrongEmphasis strong -> inlines(strong, flow, with(styles, Style.BOLD));
                case Strikethrough strike -> inlines(strike, flow, with(styles, Style.STRIKE));
                case Link link -> inlines(link, flow, with(styles, Style.LINK));
                case Image image -> flow.getChildren().add(text("[image: " + plainText(image) + "]", with(styles, Style.ITALIC)));
                case SoftLineBreak soft -> flow.getChildren().add(text(" ", styles));
                case HardLineBreak hard -> flow.getChildren().add(text("\n", styles));
                case HtmlInline html -> flow.getChildren().add(text(html.getLiteral(), styles));
                default -> inlines(inline, flow, styles);
            }
        }
    }

    private static Set<Style> with(Set<Style> styles, Style more) {
        Set<Style> out = EnumSet.noneOf(Style.class);
        out.addAll(styles);
        out.add(more);
        return out;
    }

    private static Text text(String literal, Set<Style> styles) {
        Text text = new Text(literal);
        text.getStyleClass().add("md-text");
        for (Style style : styles) {
            text.getStyleClass().add("md-" + style.name().toLowerCase(java.util.Locale.ROOT));
        }
        return text;
    }

    private static String plainText(org.commonmark.node.Node parent) {
        StringBuilder out = new StringBuilder();
        for (org.commonmark.node.Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
            if (child instanceof org.commonmark.node.Text text) {
                out.append(text.getLiteral());
            } else if (child instanceof Code code) {
                out.append(code.getLiteral());
            } else {
                out.append(plainText(child));
            }
        }
        return out.toString();
    }

    private Node list(ListBlock list) {
        VBox items = new VBox(4);
        items.getStyleClass().add(list instanceof OrderedList ? "md-ordered-list" : "md-bullet-list");
        int number = list instanceof OrderedList ordered && ordered.getMarkerStartNumber() != null ? ordered.getMarkerStartNumber() : 1;
        for (org.commonmark.node.Node item = list.getFirstChild(); item != null; item = item.getNext()) {
            Label marker = new Label(list instanceof BulletList ? "•" : number++ + ".");
            marker.getStyleClass().add("md-marker");
            marker.setMinWidth(Region.USE_PREF_SIZE);
            VBox content = new VBox(4);
            content.getChildren().setAll(blocks(item));
            HBox.setHgrow(content, Priority.ALWAYS);
            HBox row = new HBox(6, marker, content);
            row.setAlignment(Pos.TOP_LEFT);
            items.getChildren().add(row);
        }
        return items;
    }

    private static Node codeBlock(String literal, String info) {
        String code = literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
        String language = info == null ? "" : info.strip().split("\\s+", 2)[0];
        Label name = new Label(language);
        name.getStyleClass().add("md-code-language");
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        Button copy = Icons.beside(new Button("Copy"), Feather.COPY);
        copy.getStyleClass().add("md-copy");
        copy.setAccessibleText("Copy the code");
        copy.setFocusTraversable(false);
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(code);
            Clipboard.getSystemClipboard().setContent(content);
            copy.setText("Copied");
        });
        HBox header = new HBox(6, name, gap, copy);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("md-code-header");
        Text body = new Text(code);
        body.getStyleClass().addAll("md-text", "md-code-text");
        ScrollPane scroll = new ScrollPane(new TextFlow(body));
        scroll.setFitToHeight(true);
        scroll.setVbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("md-code-scroll");
        VBox block = new VBox(header, scroll);
        block.getStyleClass().add("md-code-block");
        block.setAccessibleText("Code" + (language.isEmpty() ? "" : " in " + language));
        return block;
    }

    private Node table(TableBlock table) {
        GridPane grid = new GridPane();
        grid.getStyleClass().add("md-table");
        int row = 0;
        for (org.commonmark.node.Node section = table.getFirstChild(); section != null; section = section.getNext()) {
            for (org.commonmark.node.Node tableRow = section.getFirstChild(); tableRow != null; tableRow = tableRow.getNext()) {
                int column = 0;
                for (org.commonmark.node.Node cell = tableRow.getFirstChild(); cell != null; cell = cell.getNext()) {
                    TableCell tableCell = (TableCell) cell;
                    TextFlow flow = new TextFlow();
                    inlines(cell, flow, tableCell.isHeader() ? EnumSet.of(Style.BOLD) : EnumSet.noneOf(Style.class));
                    flow.setTextAlignment(switch (tableCell.getAlignment() == null ? TableCell.Alignment.LEFT : tableCell.getAlignment()) {
                        case CENTER -> TextAlignment.CENTER;
                        case RIGHT -> TextAlignment.RIGHT;
                        case LEFT -> TextAlignment.LEFT;
                    });
                    flow.getStyleClass().addAll("md-cell", tableCell.isHeader() ? "md-header-cell" : "md-body-cell");
                    grid.add(flow, column++, row);
                }
                row++;
            }
        }
        grid.setMaxWidth(Region.USE_PREF_SIZE);
        return grid;
    }

    private static <T extends Node> T styled(T node, String styleClass) {
        node.getStyleClass().add(styleClass);
        return node;
    }

    private static <T extends VBox> T styled(T box, String styleClass, List<Node> children) {
        box.getChildren().setAll(children);
        box.getStyleClass().add(styleClass);
        return box;
    }
}
