package dev.kestrel.ui.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

class DependencyRulesTest {

    /** Production classes only: neither test-classes folders nor the app module's test jar (its fixtures). */
    static final ImportOption PRODUCTION = location -> ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
            && !location.contains("-tests.jar");

    static final JavaClasses KESTREL = new ClassFileImporter()
            .withImportOption(PRODUCTION)
            .importPackages("dev.kestrel");

    @Test
    void kestrelKeepsItsDependencyRules() {
        assertThat(KESTREL.stream().map(c -> c.getPackageName().split("\\.")[2]).distinct())
                .contains("ui", "app", "inference", "storage", "launcher");
        DependencyRules.ALL.forEach(rule -> rule.check(KESTREL));
    }

    @Test
    void theRulesCatchAViolation() {
        // Kestrel's classes plus the violations planted in the test sources: the rules must reject exactly those.
        JavaClasses violations = new ClassFileImporter()
                .withImportOption(location -> PRODUCTION.includes(location) || location.contains("/dev/kestrel/ui/violation/"))
                .importPackages("dev.kestrel");
        assertFails(DependencyRules.LAYERS, violations, "UiReachesIntoInference");
        assertFails(DependencyRules.ONLY_STORAGE_TOUCHES_JDBC, violations, "UiOpensTheDatabase");
        assertFails(DependencyRules.ONLY_INFERENCE_TOUCHES_ONNX_RUNTIME, violations, "UiReachesIntoInference");
    }

    /** The lines after the rule's description, one per violation. */
    private static java.util.stream.Stream<String> violations(String message) {
        return message.substring(message.indexOf("was violated")).lines().skip(1);
    }

    private static void assertFails(ArchRule rule, JavaClasses classes, String culprit) {
        assertThatThrownBy(() -> rule.check(classes)).isInstanceOf(AssertionError.class)
                .satisfies(error -> assertThat(violations(error.getMessage()))
                        .as("every violation reported is the planted one")
                        .isNotEmpty()
                        .allSatisfy(line -> assertThat(line).contains(culprit)));
    }
}
