package dev.kestrel.inference.prompt.jinja;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the golden files cannot show: errors, the clock, and the sandbox. */
class TemplateTest {

    @Test
    void syntaxErrorsNameTheirLine() {
        assertThatThrownBy(() -> Template.compile("line 1\n{% if x %}\nno end"))
                .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.line()).isEqualTo(3))
                .hasMessageContaining("unexpected end of template");
        assertThatThrownBy(() -> Template.compile("{{ x | nosuchfilter }}")).hasMessage("no filter named 'nosuchfilter'");
        assertThatThrownBy(() -> Template.compile("{{ x is nosuchtest }}")).hasMessage("no test named 'nosuchtest'");
        assertThatThrownBy(() -> Template.compile("{% break %}")).hasMessage("'break' outside of a loop");
        assertThatThrownBy(() -> Template.compile("{% include 'x' %}")).hasMessageContaining("not available in chat templates");
        assertThatThrownBy(() -> Template.compile("{{ 'open }}")).hasMessage("unterminated string");
    }

    @Test
    void renderErrorsNameTheirLine() {
        Template template = Template.compile("a\nb\n{{ 1 + 'x' }}");
        assertThatThrownBy(() -> template.render(Map.of()))
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.raised()).isFalse();
                })
                .hasMessage("unsupported operand type(s) for +: 'int' and 'str'");
    }

    @Test
    void strftimeNowReadsTheClock() {
        Clock clock = Clock.fixed(Instant.parse("2024-07-26T09:05:00Z"), ZoneOffset.UTC);
        String rendered = Template.compile("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%-d %B %Y, %H:%M %p %A') }}", clock)
                .render(Map.of());
        assertThat(rendered).isEqualTo("26 Jul 2024|26 July 2024, 09:05 AM Friday");
    }

    @Test
    void theSandboxRefusesToChangeTheData() {
        assertThatThrownBy(() -> Template.compile("{{ messages.append(1) }}").render(Map.of("messages", List.of())))
                .hasMessage("access to attribute 'append' of 'list' object is unsafe.");
        assertThatThrownBy(() -> Template.compile("{{ m.update({}) }}").render(Map.of("m", Map.of())))
                .hasMessage("access to attribute 'update' of 'dict' object is unsafe.");
        assertThatThrownBy(() -> Template.compile("{% set x = 1 %}{% set x.y = 2 %}").render(Map.of()))
                .hasMessage("cannot assign attribute on non-namespace object");
    }

    @Test
    void javaValuesComeInAsPythonValues() {
        String rendered = Template.compile("{{ n + 1 }} {{ f }} {{ items }}").render(Map.of("n", 41, "f", 0.5f, "items", List.of(1, "a")));
        assertThat(rendered).isEqualTo("42 0.5 [1, 'a']");
    }

    @Test
    void aTemplateIsRenderedManyTimesWithoutSharingState() {
        Template template = Template.compile("{% set ns = namespace(n=0) %}{% for i in xs %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}");
        assertThat(template.render(Map.of("xs", List.of(1, 2)))).isEqualTo("3");
        assertThat(template.render(Map.of("xs", List.of(5)))).isEqualTo("5");
    }
}
