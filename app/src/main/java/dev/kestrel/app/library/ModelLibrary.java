package dev.kestrel.app.library;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kestrel.app.AppException;
import dev.kestrel.app.AppPaths;
import dev.kestrel.app.Failure;
import dev.kestrel.app.Folders;
import dev.kestrel.inference.EngineOptions;
import dev.kestrel.inference.LanguageModel;
import dev.kestrel.inference.model.ModelFolder;
import dev.kestrel.inference.model.Variant;
import dev.kestrel.inference.runtime.CompiledGraphs;
import dev.kestrel.inference.runtime.DeviceKind;
import dev.kestrel.inference.runtime.Devices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The models installed in the data folder's {@code models/}: pulled from Hugging Face, imported
 * from a folder, checked and removed. A model is built in {@code models/.incoming/NAME} and moved
 * into {@code models/NAME} only once it is whole and valid, so a half-downloaded model is never
 * listed as installed; what a pull left there is continued by pulling it again, after a restart too.
 * Each installed model keeps {@value #SOURCE_FILE}: where it came from, and its files' sizes and
 * checksums, which {@link #verify} checks.
 */
public final class ModelLibrary {

    public static final String SOURCE_FILE = "kestrel-source.json";
    static final String INCOMING = ".incoming";
    /** Where a pull from an address keeps the archive while it arrives, inside its incoming folder. */
    static final String ARCHIVE_FOLDER = ".archive";
    /** Room kept free beside a download, so that the disk is never filled to the last byte. */
    static final long SPARE_BYTES = 256L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An installed model: its folder, size on disk and source ({@code hf:owner/name}, {@code folder:/path}). */
    public record Installed(String name, Path folder, long bytes, String source) {}

    /** A pull that has not finished: bytes on disk of the total. */
    public record Incomplete(String name, String source, long done, long total) {}

    private final AppPaths paths;
    private final HuggingFace hub;
    private final Downloader downloader;
    private final Supplier<List<Variant>> preference;

    /** A library that fetches each graph in the variant best for the CPU. */
    public ModelLibrary(AppPaths paths, HuggingFace hub, Downloader downloader) {
        this(paths, hub, downloader, () -> EngineOptions.CPU_PREFERENCE);
    }

    /** A library that fetches each graph in the first variant of {@code preference} the repository has. */
    public ModelLibrary(AppPaths paths, HuggingFace hub, Downloader downloader, Supplier<List<Variant>> preference) {
        this.paths = paths;
        this.hub = hub;
        this.downloader = downloader;
        this.preference = preference;
    }

    /**
     * The library in {@code paths}, fetching from Hugging Face the variant best for the device that
     * {@code --device auto} chooses on this machine (asked of ONNX Runtime on the first pull, not before;
     * {@link Devices#discover} asks it once a process).
     */
    public static ModelLibrary standard(AppPaths paths) {
        return new ModelLibrary(paths, HuggingFace.standard(), Downloader.standard(), () -> preferenceFor(DeviceKind.AUTO, paths));
    }

    /** The variants to fetch, best first, for a model that is to run on {@code device} here. */
    public static List<Variant> preferenceFor(DeviceKind device, AppPaths paths) {
        return EngineOptions.preference(Devices.plan(device, Devices.discover(paths.providerFolders())));
    }

    public List<Installed> installed() {
        List<Installed> found = new ArrayList<>();
        for (Path folder : children(paths.models())) {
            if (Files.isRegularFile(folder.resolve("config.json"))) {
                found.add(new Installed(folder.getFileName().toString(), folder, Folders.size(folder), source(folder).orElse("")));
            }
        }
        return found;
    }

    public List<Incomplete> incomplete() {
        List<Incomplete> found = new ArrayList<>();
        for (Path folder : children(paths.models().resolve(INCOMING))) {
            long total = 0;
            try {
                for (JsonNode file : JSON.readTree(folder.resolve(SOURCE_FILE).toFile()).path("files")) {
                    total += file.path("size").asLong();
                }
            } catch (IOException e) {
                total = -1;
            }
            found.add(new Incomplete(folder.getFileName().toString(), source(folder).orElse("?"), Folders.size(folder), total));
        }
        return found;
    }

    /**
     * Installs the Hugging Face model {@code spec} ({@code owner/name[@revision]}, or a {@link
     * ModelCatalog} name) as {@code
     * models/NAME}: each graph in the first variant of {@code preference} the repository has. What an
     * earlier pull of the same model left is continued. Setting {@code stop} pauses it (the parts stay).
     */
    public Installed pull(String spec, List<Variant> preference, Downloader.Progress progress, AtomicBoolean stop) {
        if (ModelArchive.isAddress(spec)) {
            return pullArchive(spec, progress, stop);
        }
        HuggingFace.Repo repo = HuggingFace.Repo.parse(ModelCatalog.repository(spec));
        String source = "hf:" + repo;
        String name = repo.name();
        Path target = paths.models().resolve(name);
        Optional<Installed> already = alreadyInstalled(name, source);
        if (already.isPresent()) {
            return already.get();
        }
        Path incoming = incomingFor(name, source);
        List<RemoteFile> files = hub.files(repo, preference);
        try {
            Files.createDirectories(incoming);
            writeSource(incoming, source, files);
            long needed = Downloader.remaining(files, incoming);
            long free = Files.getFileStore(incoming).getUsableSpace();
            if (needed + SPARE_BYTES > free) {
                throw new AppException(String.format(Locale.ROOT, "%s needs %.2f GB more, and %s has %.2f GB free; make room or move the data "
                        + "folder, then pull again", name, needed / 1e9, paths.models(), free / 1e9));
            }
        } catch (IOException e) {
            throw new AppException("cannot prepare " + incoming + ": " + Failure.of(e).message());
        }
        downloader.fetch(files, incoming, progress, stop);
        return install(incoming, target, source);
    }

    /**
     * How many bytes a pull of {@code spec} would fetch, with each graph in the variant best for this
     * library's device: one listing of the repository, nothing downloaded. Throws when the Hub cannot be reached.
     */
    public long downloadSize(String spec) {
        if (ModelArchive.isAddress(spec)) {
            return -1;
        }
        HuggingFace.Repo repo = HuggingFace.Repo.parse(ModelCatalog.repository(spec));
        List<RemoteFile> files = hub.files(repo, preference.get());
        return files.stream().anyMatch(f -> f.size() < 0) ? -1 : files.stream().mapToLong(RemoteFile::size).sum();
    }

    /** Like {@link #pull(String, List, Downloader.Progress, AtomicBoolean)}, with each graph in the variant best for this library's device. */
    public Installed pull(String spec, Downloader.Progress progress, AtomicBoolean stop) {
        return pull(spec, preference.get(), progress, stop);
    }

    /**
     * Installs the model folder packed in the .zip at {@code spec} ({@code https://host/path/NAME.zip},
     * optionally {@code #sha256=HEX}) as {@code models/NAME}. The archive is fetched into
     * {@code .incoming/NAME} (continued, like any pull, when stopped), then unpacked there and checked.
     */
    private Installed pullArchive(String spec, Downloader.Progress progress, AtomicBoolean stop) {
        URI url = ModelArchive.address(spec);
        String name = nameOf(spec);
        String source = sourceOf(spec);
        Path target = paths.models().resolve(name);
        Optional<Installed> already = alreadyInstalled(name, source);
        if (already.isPresent()) {
            return already.get();
        }
        Path incoming = incomingFor(name, source);
        RemoteFile archive = new RemoteFile(ARCHIVE_FOLDER + "/" + name + ".zip", url, -1, ModelArchive.checksum(spec));
        try {
            Files.createDirectories(incoming);
            writeSource(incoming, source, List.of(archive));
        } catch (IOException e) {
            throw new AppException("cannot prepare " + incoming + ": " + Failure.of(e).message());
        }
        downloader.fetch(List.of(archive), incoming, progress, stop);
        unpackInto(incoming.resolve(archive.path()), incoming, source);
        return install(incoming, target, source);
    }

    /**
     * The model {@code name} when a pull of {@code source} installed it already; empty when it is not
     * installed. Throws when another source's model has that name.
     */
    private Optional<Installed> alreadyInstalled(String name, String source) {
        Path target = paths.models().resolve(name);
        if (!Files.exists(target)) {
            return Optional.empty();
        }
        String installedFrom = source(target).orElse("elsewhere");
        if (installedFrom.equals(source)) {
            return Optional.of(new Installed(name, target, Folders.size(target), source));
        }
        throw new AppException("a model named " + name + " is already installed (from " + installedFrom + "); remove it first with "
                + "kestrel models remove " + name);
    }

    /** Where a pull of {@code source} builds {@code name}: what an unfinished pull of it left stays, to be continued. */
    private Path incomingFor(String name, String source) {
        Path incoming = paths.models().resolve(INCOMING).resolve(name);
        if (Files.isDirectory(incoming) && !source(incoming).orElse("").equals(source)) {
            deleteTree(incoming); // a pull of another model by the same name, given up
        }
        return incoming;
    }

    /** Unpacks {@code zip} into {@code incoming}, deletes it, and records the unpacked files with their checksums. */
    private void unpackInto(Path zip, Path incoming, String source) {
        try {
            long free = Files.getFileStore(incoming).getUsableSpace() - SPARE_BYTES;
            List<RemoteFile> files = new ArrayList<>();
            for (Path relative : ModelArchive.unpack(zip, incoming, Math.max(0, free))) {
                Path file = incoming.resolve(relative.toString());
                files.add(new RemoteFile(relative.toString().replace('\\', '/'), file.toUri(), Files.size(file),
                        Optional.of(Checksum.sha256Of(file))));
            }
            deleteTree(incoming.resolve(ARCHIVE_FOLDER));
            writeSource(incoming, source, files);
        } catch (IOException e) {
            throw new AppException("cannot unpack " + zip.getFileName() + " into " + incoming + ": " + Failure.of(e).message());
        }
    }

    /** Copies a model folder from disk into the library, after checking that Kestrel can use it. */
    public Installed importFolder(Path folder, Optional<String> chosenName) {
        if (ModelArchive.isArchive(folder)) {
            return importArchive(folder.toAbsolutePath().normalize(), chosenName);
        }
        ModelFolder.open(folder); // names what is missing or wrong before anything is copied
        Path from = folder.toAbsolutePath().normalize();
        String name = chosenName.orElse(from.getFileName() == null ? "model" : from.getFileName().toString());
        mustBeAName(name);
        Path target = paths.models().resolve(name);
        if (Files.exists(target)) {
            throw new AppException("a model named " + name + " is already installed; choose another name with --name");
        }
        if (target.startsWith(from) || from.startsWith(paths.models())) {
            throw new AppException(from + " is inside Kestrel's models folder already, or holds it");
        }
        Path incoming = paths.models().resolve(INCOMING).resolve(name);
        deleteTree(incoming);
        try {
            long needed = Folders.size(from);
            Files.createDirectories(incoming);
            if (needed + SPARE_BYTES > Files.getFileStore(incoming).getUsableSpace()) {
                throw new AppException(String.format(Locale.ROOT, "%s is %.2f GB, more than %s has free", from, needed / 1e9, paths.models()));
            }
            List<RemoteFile> files = new ArrayList<>();
            for (Path relative : Folders.copyTree(from, incoming)) {
                Path path = from.resolve(relative);
                files.add(new RemoteFile(relative.toString().replace('\\', '/'), path.toUri(), Files.size(path), Optional.of(Checksum.sha256Of(path))));
            }
            writeSource(incoming, "folder:" + from, files);
        } catch (IOException e) {
            throw new AppException("cannot copy " + from + " into " + paths.models() + ": " + Failure.of(e).message());
        }
        return install(incoming, target, "folder:" + from);
    }

    /** Unpacks a model folder's .zip from disk into the library, after checking that Kestrel can use it. */
    private Installed importArchive(Path zip, Optional<String> chosenName) {
        String name = chosenName.orElse(ModelArchive.nameOf(zip.getFileName().toString()));
        mustBeAName(name);
        Path target = paths.models().resolve(name);
        if (Files.exists(target)) {
            throw new AppException("a model named " + name + " is already installed; choose another name with --name");
        }
        Path incoming = paths.models().resolve(INCOMING).resolve(name);
        deleteTree(incoming);
        try {
            Files.createDirectories(incoming);
        } catch (IOException e) {
            throw new AppException("cannot prepare " + incoming + ": " + Failure.of(e).message());
        }
        String source = "folder:" + zip;
        try {
            unpackInto(zip, incoming, source);
            return install(incoming, target, source);
        } catch (RuntimeException e) {
            deleteTree(incoming); // nothing to continue: the archive is still where it was
            throw e;
        }
    }

    /** Removes an installed model, or what an unfinished pull left, and the graphs compiled from it for an accelerator. */
    public void remove(String name) {
        mustBeAName(name);
        Path target = paths.models().resolve(name);
        Path incoming = paths.models().resolve(INCOMING).resolve(name);
        if (!Files.exists(target) && !Files.exists(incoming)) {
            throw new AppException("no model named " + name + " is installed" + names());
        }
        deleteTree(target);
        deleteTree(incoming);
        CompiledGraphs.forget(paths.compiledGraphs(), target);
    }

    /**
     * Checks an installed model: its files against the sizes and checksums it was installed with,
     * its folder as Kestrel reads it, and its graphs loaded on the CPU. Returns the problems found,
     * none when it is sound.
     */
    public List<String> verify(String name) {
        mustBeAName(name);
        Path folder = paths.models().resolve(name);
        if (!Files.isDirectory(folder)) {
            throw new AppException("no model named " + name + " is installed" + names());
        }
        List<String> problems = new ArrayList<>();
        try {
            for (JsonNode file : JSON.readTree(folder.resolve(SOURCE_FILE).toFile()).path("files")) {
                Path path = folder.resolve(file.path("path").asText());
                if (!Files.isRegularFile(path)) {
                    problems.add(file.path("path").asText() + " is missing");
                    continue;
                }
                long size = Files.size(path);
                if (file.has("size") && file.get("size").asLong() >= 0 && size != file.get("size").asLong()) {
                    problems.add(file.path("path").asText() + " is " + size + " bytes, not " + file.get("size").asLong());
                } else if (file.hasNonNull("checksum")) {
                    Checksum expected = Checksum.parse(file.get("checksum").asText());
                    if (!expected.of(path).equals(expected.hex())) {
                        problems.add(file.path("path").asText() + " does not match its checksum (" + expected.text() + ")");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            problems.add(SOURCE_FILE + " cannot be read (" + Failure.of(e).message() + "), so the files' checksums were not checked");
        }
        try (LanguageModel model = LanguageModel.load(folder, EngineOptions.DEFAULT)) {
            model.folder(); // loaded: the graphs have the inputs and outputs Kestrel feeds
        } catch (RuntimeException e) {
            problems.add(Failure.of(e).message());
        }
        return problems;
    }

    private Installed install(Path incoming, Path target, String source) {
        try {
            ModelFolder.open(incoming);
        } catch (RuntimeException e) {
            throw new AppException("the files arrived, but they do not make a model Kestrel can use: " + Failure.of(e).message()
                    + "; remove them with kestrel models remove " + target.getFileName());
        }
        try {
            Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AppException("cannot move " + incoming + " to " + target + ": " + Failure.of(e).message());
        }
        return new Installed(target.getFileName().toString(), target, Folders.size(target), source);
    }

    private static void writeSource(Path folder, String source, List<RemoteFile> files) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("source", source);
        ArrayNode list = root.putArray("files");
        for (RemoteFile file : files) {
            ObjectNode entry = list.addObject().put("path", file.path()).put("size", file.size());
            file.checksum().ifPresent(c -> entry.put("checksum", c.text()));
        }
        Path part = folder.resolve(SOURCE_FILE + ".part");
        JSON.writerWithDefaultPrettyPrinter().writeValue(part.toFile(), root);
        Files.move(part, folder.resolve(SOURCE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Optional<String> source(Path folder) {
        try {
            return Optional.of(JSON.readTree(folder.resolve(SOURCE_FILE).toFile()).path("source").asText()).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String names() {
        List<String> names = installed().stream().map(Installed::name).toList();
        return names.isEmpty() ? " (none is)" : " (installed: " + String.join(", ", names) + ")";
    }

    private static void mustBeAName(String name) {
        if (name.isBlank() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..") || name.startsWith(".")) {
            throw new AppException("'" + name + "' is not a model name");
        }
    }

    private static List<Path> children(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path folder) {
        try {
            Folders.deleteTree(folder);
        } catch (IOException e) {
            throw new AppException("cannot remove " + folder + ": " + Failure.of(e).message());
        }
    }

    /** The name a pull of {@code spec} (catalog name, Hugging Face id or page, or an archive's address) installs as. */
    public static String nameOf(String spec) {
        if (ModelArchive.isAddress(spec)) {
            String path = ModelArchive.address(spec).getPath();
            return ModelArchive.nameOf(path.substring(path.lastIndexOf('/') + 1));
        }
        return HuggingFace.Repo.parse(ModelCatalog.repository(spec)).name();
    }

    /** How an installed model records {@code spec}: {@code hf:owner/name[@revision]} or {@code url:ADDRESS[#sha256=HEX]}. */
    public static String sourceOf(String spec) {
        if (ModelArchive.isAddress(spec)) {
            return "url:" + ModelArchive.address(spec) + ModelArchive.checksum(spec).map(c -> "#sha256=" + c.hex()).orElse("");
        }
        return "hf:" + HuggingFace.Repo.parse(ModelCatalog.repository(spec));
    }

    /** What to pull again to get {@code source} ({@link #sourceOf}'s form), or empty for an imported model. */
    public static String specOf(String source) {
        if (source.startsWith("hf:")) {
            return source.substring("hf:".length());
        }
        return source.startsWith("url:") ? source.substring("url:".length()) : "";
    }

    /** A size as Kestrel shows it: megabytes with one decimal, "?" when unknown (negative). */
    public static String megabytes(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
