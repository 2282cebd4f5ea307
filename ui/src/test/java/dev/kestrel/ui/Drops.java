package dev.kestrel.ui;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;
import java.io.File;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.PickResult;
import javafx.scene.input.TransferMode;
import javafx.util.Pair;

/**
 * Drops files on a node as the system's drag and drop would. TestFX cannot make an external drag
 * carry files under Xvfb, so the test builds the drag's data through JavaFX's own (internal)
 * Dragboard factory and fires the DRAG_OVER and DRAG_DROPPED events a real drop delivers; the
 * window's handlers run as they are. Call on the JavaFX thread.
 */
final class Drops {

    private Drops() {}

    /** Drags {@code files} over the middle of {@code target} and drops them; returns whether the drop was taken. */
    static boolean drop(Node target, List<File> files) {
        Dragboard board = DragboardHelper.createDragboard(new FilesOnly(files));
        Bounds bounds = target.getLayoutBounds();
        Point2D local = new Point2D(bounds.getCenterX(), bounds.getCenterY());
        Point2D scene = target.localToScene(local);
        Point2D screen = target.localToScreen(local);
        DragEvent over = event(DragEvent.DRAG_OVER, target, board, scene, screen);
        target.fireEvent(over);
        if (over.getAcceptedTransferMode() == null) {
            return false;
        }
        DragEvent dropped = event(DragEvent.DRAG_DROPPED, target, board, scene, screen);
        target.fireEvent(dropped);
        return dropped.isDropCompleted();
    }

    private static DragEvent event(javafx.event.EventType<DragEvent> type, Node target, Dragboard board, Point2D scene, Point2D screen) {
        return new DragEvent(target, target, type, board, scene.getX(), scene.getY(), screen.getX(), screen.getY(), TransferMode.COPY,
                null, null, new PickResult(target, scene.getX(), scene.getY()));
    }

    /** A drag's data holding files, as a file manager's drag does. */
    private record FilesOnly(List<File> files) implements TKClipboard {

        @Override
        public Set<DataFormat> getContentTypes() {
            return Set.of(DataFormat.FILES);
        }

        @Override
        @SafeVarargs
        public final boolean putContent(Pair<DataFormat, Object>... content) {
            return false;
        }

        @Override
        public Object getContent(DataFormat format) {
            return format == DataFormat.FILES ? files : null;
        }

        @Override
        public boolean hasContent(DataFormat format) {
            return format == DataFormat.FILES;
        }

        @Override
        public Set<TransferMode> getTransferModes() {
            return EnumSet.of(TransferMode.COPY);
        }

        @Override
        public void setDragView(Image image) {}

        @Override
        public void setDragViewOffsetX(double offset) {}

        @Override
        public void setDragViewOffsetY(double offset) {}

        @Override
        public Image getDragView() {
            return null;
        }

        @Override
        public double getDragViewOffsetX() {
            return 0;
        }

        @Override
        public double getDragViewOffsetY() {
            return 0;
        }
    }
}
