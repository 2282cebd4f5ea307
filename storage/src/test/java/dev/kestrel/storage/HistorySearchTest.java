package dev.kestrel.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistorySearchTest {

    @TempDir
    Path dir;

    @Test
    void theBestMatchComesFirstWithItsWordsHighlighted() {
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            long cooking = db.conversations().create("Dinner ideas", "").id();
            Message passing = db.messages().append(cooking, OptionalLong.empty(), Role.USER,
                    "A long question about many things: the weather, the garden, the car, and a kestrel once seen.");
            long birds = db.conversations().create("Birds", "").id();
            Message focused = db.messages().append(birds, OptionalLong.empty(), Role.USER, "Kestrel or kestrels? A kestrel hovers.");

            List<SearchHit> hits = db.search().search("kestrel", 0, 10);

            assertThat(hits).extracting(SearchHit::messageId)
                    .containsExactly(OptionalLong.of(focused.id()), OptionalLong.of(passing.id()));
            SearchHit best = hits.getFirst();
            assertThat(best.conversationId()).isEqualTo(birds);
            assertThat(best.title()).isEqualTo("Birds");
            // "kestrel" as typed is a prefix, so "kestrels" matches too.
            assertThat(best.snippet().highlights()).extracting(r -> best.snippet().text().substring(r.start(), r.end()))
                    .containsExactly("Kestrel", "kestrels", "kestrel");
        }
    }

    @Test
    void titlesAreSearchedAndRenamesAreFollowed() {
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            long id = db.conversations().create("Tax return questions", "").id();
            assertThat(db.search().search("tax", 0, 10)).singleElement().satisfies(hit -> {
                assertThat(hit.messageId()).isEmpty();
                assertThat(hit.snippet().text()).isEqualTo("Tax return questions");
                assertThat(hit.snippet().highlights()).containsExactly(new SearchHit.Range(0, 3));
            });
            db.conversations().rename(id, "Holiday plans");
            assertThat(db.search().search("tax", 0, 10)).isEmpty();
            assertThat(db.search().search("holiday", 0, 10)).extracting(SearchHit::conversationId).containsExactly(id);
        }
    }

    @Test
    void whatTheUserTypesIsWordsNeverSyntax() {
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            long id = db.conversations().create("Maths", "").id();
            db.messages().append(id, OptionalLong.empty(), Role.USER, "What's 2 + 2? (AND NOT \"quoted\")");
            assertThat(db.search().search("what's 2+2 (AND NOT \"", 0, 10)).hasSize(1);
            assertThat(db.search().search("NOT quoted", 0, 10)).hasSize(1);
            assertThat(db.search().search("  ?!* ", 0, 10)).isEmpty();
            // A finished word (followed by a space) is not a prefix.
            assertThat(db.search().search("Math ", 0, 10)).isEmpty();
            assertThat(db.search().search("Math", 0, 10)).hasSize(1);
            assertThat(db.search().search("crème", 0, 10)).isEmpty();
        }
    }

    @Test
    void accentsAndCaseDoNotMatter() {
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            long id = db.conversations().create("Dessert", "").id();
            db.messages().append(id, OptionalLong.empty(), Role.USER, "How do I make CRÈME brûlée?");
            assertThat(db.search().search("creme brulee", 0, 10)).hasSize(1);
        }
    }

    @Test
    void aStreamingReplyIsFoundOnceItEndsAndADeletedConversationIsGone() {
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            long id = db.conversations().create("Chat", "").id();
            Message question = db.messages().append(id, OptionalLong.empty(), Role.USER, "hello");
            Message reply = db.messages().startReply(id, question.id(), "m", SamplingSettings.GREEDY);
            db.messages().updateReply(reply.id(), "a peregrine is fast", "");
            assertThat(db.search().search("peregrine", 0, 10)).isEmpty();

            db.messages().finishReply(reply.id(), "a peregrine is very fast", "", MessageStatus.COMPLETE, ReplyMetrics.NONE);
            assertThat(db.search().search("peregrine very", 0, 10)).extracting(SearchHit::messageId)
                    .containsExactly(OptionalLong.of(reply.id()));

            db.conversations().delete(id);
            assertThat(db.search().search("peregrine", 0, 10)).isEmpty();
            assertThat(db.search().search("chat", 0, 10)).isEmpty();
        }
    }

    @Test
    void resultsComeAPageAtATime() {
        try (Database db = Database.open(dir.resolve("kestrel.db"))) {
            long id = db.conversations().create("Notes", "").id();
            for (int i = 0; i < 25; i++) {
                db.messages().append(id, OptionalLong.empty(), Role.USER, "note number " + i + " about owls");
            }
            List<SearchHit> first = db.search().search("owls", 0, 10);
            List<SearchHit> second = db.search().search("owls", 10, 10);
            List<SearchHit> last = db.search().search("owls", 20, 10);
            assertThat(first).hasSize(10);
            assertThat(second).hasSize(10);
            assertThat(last).hasSize(5);
            assertThat(first).extracting(SearchHit::messageId).doesNotContainAnyElementsOf(
                    second.stream().map(SearchHit::messageId).toList());
        }
    }

    @Test
    void theMatchExpressionQuotesEveryWordAndMakesTheLastAPrefixWhileTyping() {
        assertThat(HistorySearch.matchExpression("kestrel hov")).isEqualTo("\"kestrel\" \"hov\"*");
        assertThat(HistorySearch.matchExpression("kestrel ")).isEqualTo("\"kestrel\"");
        assertThat(HistorySearch.matchExpression("\"); DROP")).isEqualTo("\"DROP\"*");
        assertThat(HistorySearch.matchExpression("")).isEmpty();
    }
}
