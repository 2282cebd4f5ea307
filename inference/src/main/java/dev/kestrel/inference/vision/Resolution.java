package dev.kestrel.inference.vision;

/**
 * What a grid does to an image scaled (aspect ratio kept) to fit it: the effective resolution
 * R_e (image pixels kept, never more than the original has) and the wasted resolution R_w
 * (padding), as LLaVA-NeXT and BlueLM-V-3B define them.
 */
record Resolution(long effective, long wasted) {

    static Resolution of(TileGrid grid, int tileSize, int width, int height) {
        long gridWidth = (long) tileSize * grid.cols();
        long gridHeight = (long) tileSize * grid.rows();
        double scale = Math.min((double) gridWidth / width, (double) gridHeight / height);
        long effective = Math.min((long) (width * scale) * (long) (height * scale), (long) width * height);
        return new Resolution(effective, gridWidth * gridHeight - effective);
    }
}
