package dev.kestrel.inference.vision.pdf;

import dev.kestrel.inference.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Pages chosen by the user, 1-based, as written: {@code 1-3,5}. */
public record PageRange(List<Integer> pages) {

    public PageRange {
        pages = List.copyOf(pages);
    }

    public static PageRange parse(String text) {
        TreeSet<Integer> pages = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-');
                int first = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                int last = dash < 0 ? first : Integer.parseInt(p.substring(dash + 1).strip());
                if (first < 1 || last < first || last - first > 10_000) {
                    throw new NumberFormatException();
                }
                for (int page = first; page <= last; page++) {
                    pages.add(page);
                }
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("'" + text + "' is not a page range; write pages like 1-3,5");
            }
        }
        return new PageRange(new ArrayList<>(pages));
    }

    /** The pages as a person writes them, runs joined: {@code 1-3,5}; {@link #parse} reads it back. */
    public String text() {
        StringBuilder out = new StringBuilder();
        List<Integer> sorted = new ArrayList<>(new TreeSet<>(pages));
        for (int i = 0; i < sorted.size(); i++) {
            int first = sorted.get(i);
            while (i + 1 < sorted.size() && sorted.get(i + 1) == sorted.get(i) + 1) {
                i++;
            }
            out.append(out.isEmpty() ? "" : ",").append(first);
            if (sorted.get(i) != first) {
                out.append('-').append(sorted.get(i));
            }
        }
        return out.toString();
    }
}
