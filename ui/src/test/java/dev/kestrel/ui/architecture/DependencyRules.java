package dev.kestrel.ui.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * ../shared/ARCHITECTURE.md's rules as code: ui -> app -> {inference, storage}; inference and storage
 * never see each other; only ui touches JavaFX, only inference ONNX Runtime and the tokenizer
 * binding, only storage JDBC.
 */
final class DependencyRules {

    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("ui").definedBy("dev.kestrel.ui..")
            .layer("app").definedBy("dev.kestrel.app..")
            .layer("inference").definedBy("dev.kestrel.inference..")
            .layer("storage").definedBy("dev.kestrel.storage..")
            .layer("launcher").definedBy("dev.kestrel.launcher..")
            .whereLayer("ui").mayNotBeAccessedByAnyLayer()
            .whereLayer("app").mayOnlyBeAccessedByLayers("ui")
            .whereLayer("inference").mayOnlyBeAccessedByLayers("app")
            .whereLayer("storage").mayOnlyBeAccessedByLayers("app")
            .whereLayer("launcher").mayNotBeAccessedByAnyLayer();

    static final ArchRule ONLY_UI_TOUCHES_JAVAFX = noClasses().that().resideOutsideOfPackage("dev.kestrel.ui..")
            .should().dependOnClassesThat().resideInAPackage("javafx..")
            .because("only the ui module may use JavaFX");

    static final ArchRule ONLY_INFERENCE_TOUCHES_ONNX_RUNTIME = noClasses().that().resideOutsideOfPackage("dev.kestrel.inference..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..", "ai.djl..")
            .because("only the inference module may use ONNX Runtime and the tokenizer binding");

    static final ArchRule ONLY_STORAGE_TOUCHES_JDBC = noClasses().that().resideOutsideOfPackage("dev.kestrel.storage..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..")
            .because("only the storage module may use JDBC");

    static final List<ArchRule> ALL = List.of(LAYERS, ONLY_UI_TOUCHES_JAVAFX, ONLY_INFERENCE_TOUCHES_ONNX_RUNTIME, ONLY_STORAGE_TOUCHES_JDBC);

    private DependencyRules() {}
}
