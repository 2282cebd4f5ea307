package dev.kestrel.inference.prompt;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.inference.ModelFolderException;
import dev.kestrel.inference.model.TokenText;
import dev.kestrel.inference.prompt.jinja.Template;
import dev.kestrel.inference.prompt.jinja.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's own chat template, rendered byte for byte as transformers' {@code apply_chat_template}
 * renders it: from {@code chat_template.jinja}, else {@code chat_template.json}, else
 * {@code tokenizer_config.json}; with {@code messages}, {@code tools}, {@code documents},
 * {@code add_generation_prompt}, the tokenizer's special tokens ({@code bos_token},
 * {@code eos_token}, ...) and extra arguments such as {@code enable_thinking}.
 */
public final class ChatTemplate {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SPECIAL_TOKENS =
            List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

    private final Template template;
    private final String source;
    private final String origin;
    private final Map<String, Object> specialTokens;

    private ChatTemplate(Template template, String source, String origin, Map<String, Object> specialTokens) {
        this.template = template;
        this.source = source;
        this.origin = origin;
        this.specialTokens = specialTokens;
    }

    /** The chat template of a model folder (which may hold only the tokenizer files), if it has one. */
    public static Optional<ChatTemplate> find(Path folder) {
        return find(folder, readJson(folder.resolve("tokenizer_config.json")));
    }

    /** Like {@link #find(Path)}, with the folder's tokenizer_config.json already read (null when it has none). */
    public static Optional<ChatTemplate> find(Path folder, JsonNode tokenizerConfig) {
        Map<String, Object> specialTokens = specialTokens(tokenizerConfig);
        Path jinja = folder.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            return Optional.of(compile(read(jinja), "chat_template.jinja", specialTokens));
        }
        JsonNode processor = readJson(folder.resolve("chat_template.json"));
        if (processor != null && processor.path("chat_template").isTextual()) {
            return Optional.of(compile(processor.get("chat_template").asText(), "chat_template.json", specialTokens));
        }
        if (tokenizerConfig != null) {
            JsonNode template = tokenizerConfig.get("chat_template");
            if (template != null && template.isTextual()) {
                return Optional.of(compile(template.asText(), "tokenizer_config.json", specialTokens));
            }
            if (template != null && template.isArray()) {
                for (JsonNode named : template) {
                    if ("default".equals(named.path("name").asText())) {
                        return Optional.of(compile(named.path("template").asText(), "tokenizer_config.json (default)", specialTokens));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Compiles a template given as text, with the special tokens the caller passes. */
    public static ChatTemplate of(String source, Map<String, Object> specialTokens) {
        return compile(source, "the given template", Map.copyOf(specialTokens));
    }

    private static ChatTemplate compile(String source, String origin, Map<String, Object> specialTokens) {
        try {
            return new ChatTemplate(Template.compile(source), source, origin, specialTokens);
        } catch (TemplateException e) {
            throw new ModelFolderException("the chat template in " + origin + " cannot be read: line " + e.line() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Where the template came from, e.g. "tokenizer_config.json". */
    public String origin() {
        return origin;
    }

    /** Whether the template reads a variable or text, e.g. "enable_thinking". */
    public boolean mentions(String text) {
        return source.contains(text);
    }

    /** Renders role/content messages with content as a string, as text-only templates expect it. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> extra) {
        return render(messages, false, addGenerationPrompt, extra);
    }

    /**
     * Renders role/content messages. With {@code contentAsParts}, content is the list of parts
     * vision templates iterate over: one {@code {"type": "image"}} per image, then
     * {@code {"type": "text", "text": ...}}, as transformers' processors are given it.
     */
    public String render(List<ChatMessage> messages, boolean contentAsParts, boolean addGenerationPrompt, Map<String, ?> extra) {
        List<Map<String, Object>> maps = new ArrayList<>();
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role().label());
            if (contentAsParts) {
                List<Map<String, Object>> parts = new ArrayList<>();
                m.images().forEach(image -> parts.add(Map.of("type", "image")));
                parts.add(Map.of("type", "text", "text", m.content()));
                map.put("content", parts);
            } else {
                map.put("content", m.content());
            }
            maps.add(map);
        }
        return renderMessages(maps, addGenerationPrompt, extra);
    }

    /**
     * Renders messages of any shape (content lists, tool calls, reasoning_content ...). The template's
     * own raise_exception and its failures on this conversation are the request's fault.
     */
    public String renderMessages(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt, Map<String, ?> extra) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("messages", messages);
        context.put("tools", null);
        context.put("documents", null);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.putAll(specialTokens);
        context.putAll(extra);
        try {
            return template.render(context);
        } catch (TemplateException e) {
            if (e.raised()) {
                throw new InvalidRequestException("the model's chat template refused this conversation: " + e.getMessage());
            }
            throw new InvalidRequestException("the model's chat template (" + origin + ") failed on this conversation"
                    + (e.line() > 0 ? " at line " + e.line() : "") + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> specialTokens(JsonNode config) {
        Map<String, Object> tokens = new LinkedHashMap<>();
        if (config == null) {
            return tokens;
        }
        for (String name : SPECIAL_TOKENS) {
            TokenText.of(config.get(name)).ifPresent(text -> tokens.put(name, text));
        }
        JsonNode additional = config.get("additional_special_tokens");
        if (additional != null && additional.isArray()) {
            List<Object> list = new ArrayList<>();
            additional.forEach(t -> TokenText.of(t).ifPresent(list::add));
            tokens.put("additional_special_tokens", List.copyOf(list));
        }
        return tokens;
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new ModelFolderException(file.getFileName() + " in " + file.getParent() + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelFolderException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelFolderException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
