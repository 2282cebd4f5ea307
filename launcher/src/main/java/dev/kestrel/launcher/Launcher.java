package dev.kestrel.launcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * Main-Class of Kestrel's jars. The real entry point is named by the jar's {@code Kestrel-Main-Class}
 * manifest attribute; it is called in this JVM when it is new enough, or in a child JVM of an
 * installed Java {@value #REQUIRED_FEATURE}+ otherwise, with standard streams and exit status passed
 * through.
 */
public final class Launcher {

    static final int REQUIRED_FEATURE = 25;
    static final String MAIN_CLASS_ATTRIBUTE = "Kestrel-Main-Class";

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        String mainClass = mainClassOfLaunchedJar();
        if (Runtime.version().feature() >= REQUIRED_FEATURE) {
            invokeMain(mainClass, args);
            return;
        }
        Optional<JavaRuntimes.Runtime> runtime = JavaRuntimes.discover().newest(REQUIRED_FEATURE);
        if (runtime.isEmpty()) {
            System.err.println("kestrel: Kestrel needs Java " + REQUIRED_FEATURE + " or newer, and this is Java "
                    + Runtime.version().feature() + " (" + System.getProperty("java.home") + ") with no newer one found."
                    + " Install a JDK " + REQUIRED_FEATURE + " (for example Eclipse Temurin) or set JAVA_HOME to one.");
            System.exit(1);
        }
        System.exit(relaunch(runtime.get().javaExecutable(), mainClass, args));
    }

    private static String mainClassOfLaunchedJar() throws IOException {
        String classPath = System.getProperty("java.class.path", "");
        String first = classPath.split(java.io.File.pathSeparator, -1)[0];
        if (first.endsWith(".jar")) {
            try (JarFile jar = new JarFile(first)) {
                Attributes attributes = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes();
                String value = attributes == null ? null : attributes.getValue(MAIN_CLASS_ATTRIBUTE);
                if (value != null && !value.isBlank()) {
                    return value.trim();
                }
            }
        }
        throw new IllegalStateException("kestrel: " + first + " has no " + MAIN_CLASS_ATTRIBUTE + " in its manifest");
    }

    private static void invokeMain(String mainClass, String[] args) throws Exception {
        Method main = Class.forName(mainClass).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static int relaunch(Path java, String mainClass, String[] args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        // -D, -X and agent options given to this JVM apply to the real one too.
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        Thread stopChild = new Thread(child::destroy, "kestrel-launcher-stop");
        Runtime.getRuntime().addShutdownHook(stopChild);
        int status = child.waitFor();
        Runtime.getRuntime().removeShutdownHook(stopChild);
        return status;
    }
}
