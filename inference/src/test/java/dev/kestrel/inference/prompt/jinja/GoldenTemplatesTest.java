package dev.kestrel.inference.prompt.jinja;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kestrel.inference.prompt.JsonValues;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of golden/chat-templates.json, rendered by Python's jinja2 in transformers' chat
 * template environment (parity/chat_templates/make_golden.py), must render byte for byte the same.
 */
class GoldenTemplatesTest {

    static Stream<Named<JsonNode>> cases() throws IOException {
        try (InputStream in = GoldenTemplatesTest.class.getResourceAsStream("/golden/chat-templates.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<Named<JsonNode>> cases = new ArrayList<>();
            root.get("cases").forEach(c -> cases.add(Named.of(c.get("name").asText(), c)));
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void rendersAsPythonJinja2Does(JsonNode golden) {
        Template template = Template.compile(golden.get("source").asText());
        Map<String, Object> context = (Map<String, Object>) JsonValues.toJava(golden.get("context"));
        if (golden.has("expected")) {
            assertThat(template.render(context)).isEqualTo(golden.get("expected").asText());
        } else {
            JsonNode error = golden.get("error");
            assertThatThrownBy(() -> template.render(context))
                    .isInstanceOfSatisfying(TemplateException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo(error.get("message").asText());
                        assertThat(e.raised()).isEqualTo(error.get("type").asText().equals("TemplateError"));
                    });
        }
    }
}
