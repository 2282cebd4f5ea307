package dev.kestrel.app.cli;

import dev.kestrel.inference.InvalidRequestException;
import dev.kestrel.inference.vision.TileGrid;
import dev.kestrel.inference.vision.TileSettings;
import dev.kestrel.inference.vision.TilingPolicy;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kestrel tiles}: how a tiling policy cuts images of given sizes, one JSON object per size. */
@Command(name = "tiles", mixinStandardHelpOptions = true,
        description = "Shows how a tiling policy cuts images of the given sizes into tiles.")
final class TilesCommand implements Callable<Integer> {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})[xX](\\d{1,9})");

    @ParentCommand
    KestrelCli cli;

    @Option(names = "--policy", required = true, paramLabel = "POLICY",
            description = "relaxed (BlueLM-V-3B), llava-next, internvl or idefics3 (SmolVLM).")
    String policy;

    @Option(names = "--max-tiles", paramLabel = "N", defaultValue = "" + TileSettings.DEFAULT_MAX_TILES,
            description = "Most tiles per image, the thumbnail not counted (default: ${DEFAULT-VALUE}).")
    int maxTiles;

    @Option(names = "--tile-size", paramLabel = "PX", defaultValue = "" + TileSettings.DEFAULT_TILE_SIZE,
            description = "Side of a square tile in pixels (default: ${DEFAULT-VALUE}).")
    int tileSize;

    @Parameters(arity = "1..*", paramLabel = "WxH", description = "Image sizes in pixels, e.g. 1080x2400.")
    List<String> sizes;

    @Override
    public Integer call() {
        TilingPolicy tiling = TilingPolicy.named(policy, new TileSettings(tileSize, maxTiles));
        PrintWriter out = cli.spec.commandLine().getOut();
        for (String size : sizes) {
            Matcher m = SIZE.matcher(size.strip());
            if (!m.matches()) {
                throw new InvalidRequestException("'" + size + "' is not an image size; write it as WIDTHxHEIGHT, e.g. 1080x2400");
            }
            int width = Integer.parseInt(m.group(1));
            int height = Integer.parseInt(m.group(2));
            TileGrid grid = tiling.choose(width, height);
            out.println(JsonLines.write(JsonLines.MAPPER.createObjectNode().put("width", width).put("height", height)
                    .put("cols", grid.cols()).put("rows", grid.rows()).put("tiles", grid.tiles()).put("thumbnail", grid.thumbnail())));
        }
        out.flush();
        return 0;
    }
}
