package org.sepl.connector.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests of what a metrics endpoint serves
 * (Maven Central has no parser of this format from the Prometheus project: theirs is Go's {@code expfmt}). It
 * refuses, with the line number, what Prometheus' own parser refuses or what would make series ambiguous: a bad
 * metric or label name, an unquoted or badly escaped label value, a value Go's {@code ParseFloat} does not read, a
 * {@code # TYPE} after the family's samples or given twice, a family whose samples are not together, and the same
 * series twice. Stricter than Prometheus: every sample must belong to a family with a {@code # TYPE} (summaries and
 * histograms may add {@code _sum}, {@code _count}, {@code _bucket}).
 */
public final class PrometheusTextParser {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** One metric family: its name, type, help and samples in order. */
    public record Family(String name, String type, String help, List<Sample> samples) {

        /** @return the sample whose labels include all of {@code labels} (name, value, name, value ...) */
        public Optional<Sample> sample(String... labels) {
            return samples.stream().filter(s -> {
                for (int i = 0; i + 1 < labels.length; i += 2) {
                    if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                        return false;
                    }
                }
                return true;
            }).findFirst();
        }
    }

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:Inf|NaN|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PrometheusTextParser() {
    }

    /**
     * @return the families by name, in the order they appear
     * @throws IllegalArgumentException naming the line and what is wrong with it
     */
    public static Map<String, Family> parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> series = new HashSet<>();
        Set<String> closed = new HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int number = i + 1;
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    requireName(name, number);
                    if (closed.contains(name) || (!samples.getOrDefault(name, List.of()).isEmpty()
                            && !name.equals(current))) {
                        throw error(number, "# " + parts[1] + " of " + name + " after its samples");
                    }
                    String rest = parts.length == 4 ? parts[3] : "";
                    if (parts[1].equals("HELP")) {
                        if (helps.put(name, unescapeHelp(rest, number)) != null) {
                            throw error(number, "a second # HELP for " + name);
                        }
                    } else {
                        if (!TYPES.contains(rest)) {
                            throw error(number, "unknown type '" + rest + "' (allowed: " + TYPES + ")");
                        }
                        if (!samples.getOrDefault(name, List.of()).isEmpty()) {
                            throw error(number, "# TYPE of " + name + " after its samples");
                        }
                        if (types.put(name, rest) != null) {
                            throw error(number, "a second # TYPE for " + name);
                        }
                    }
                    if (current != null && !current.equals(name)) {
                        closed.add(current);
                    }
                    current = name;
                    samples.putIfAbsent(name, new ArrayList<>());
                }
                continue; // any other comment
            }
            Sample sample = sample(line, number);
            String family = familyOf(sample.name(), types);
            if (family == null) {
                throw error(number, "sample " + sample.name() + " belongs to no family with a # TYPE");
            }
            if (closed.contains(family) || (current != null && !current.equals(family))) {
                throw error(number, "sample of " + family + " apart from the rest of its family");
            }
            current = family;
            if (!series.add(sample.name() + sample.labels())) {
                throw error(number, "series " + sample.name() + sample.labels() + " given twice");
            }
            samples.computeIfAbsent(family, f -> new ArrayList<>()).add(sample);
        }
        Map<String, Family> families = new LinkedHashMap<>();
        samples.forEach((name, list) -> families.put(name, new Family(name, types.getOrDefault(name, "untyped"),
                helps.getOrDefault(name, ""), List.copyOf(list))));
        return Collections.unmodifiableMap(families);
    }

    /** @return the family a sample name belongs to: itself, or a summary's or histogram's name before its suffix */
    private static String familyOf(String sample, Map<String, String> types) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : List.of("_sum", "_count", "_bucket")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String type = types.get(base);
                if ("summary".equals(type) && !suffix.equals("_bucket") || "histogram".equals(type)) {
                    return base;
                }
            }
        }
        return null;
    }

    private static Sample sample(String line, int number) {
        Matcher name = METRIC_NAME.matcher(line);
        if (!name.lookingAt()) {
            throw error(number, "no metric name at the start of '" + line + "'");
        }
        int at = name.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at++;
            while (true) {
                if (at < line.length() && line.charAt(at) == '}') {
                    at++;
                    break;
                }
                Matcher label = LABEL_NAME.matcher(line).region(at, line.length());
                if (!label.lookingAt()) {
                    throw error(number, "bad label name at column " + (at + 1));
                }
                String labelName = label.group();
                at = label.end();
                if (!line.startsWith("=\"", at)) {
                    throw error(number, "label " + labelName + " has no =\"value\"");
                }
                at += 2;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (at >= line.length()) {
                        throw error(number, "label " + labelName + "'s value is not closed");
                    }
                    char c = line.charAt(at++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (at >= line.length()) {
                            throw error(number, "a lone \\ in label " + labelName);
                        }
                        char e = line.charAt(at++);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw error(number, "bad escape \\" + e + " in label " + labelName);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(labelName, value.toString()) != null) {
                    throw error(number, "label " + labelName + " given twice");
                }
                if (at < line.length() && line.charAt(at) == ',') {
                    at++;
                } else if (at >= line.length() || line.charAt(at) != '}') {
                    throw error(number, "expected , or } after label " + labelName);
                }
            }
        }
        String[] rest = line.substring(at).strip().split("[ \t]+");
        if (at >= line.length() || (line.charAt(at) != ' ' && line.charAt(at) != '\t') || rest.length == 0
                || rest.length > 2 || rest[0].isEmpty()) {
            throw error(number, "expected ' VALUE [TIMESTAMP]' after the name and labels in '" + line + "'");
        }
        if (!FLOAT.matcher(rest[0]).matches()) {
            throw error(number, "'" + rest[0] + "' is not a value Prometheus reads");
        }
        if (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches()) {
            throw error(number, "'" + rest[1] + "' is not a timestamp in milliseconds");
        }
        return new Sample(name.group(), Collections.unmodifiableMap(labels), parseFloat(rest[0]));
    }

    private static double parseFloat(String s) {
        return switch (s.replace("+", "")) {
            case "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN", "-NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static String unescapeHelp(String help, int number) {
        StringBuilder out = new StringBuilder(help.length());
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= help.length()) {
                throw error(number, "a lone \\ at the end of the help");
            }
            char e = help.charAt(i);
            switch (e) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                default -> throw error(number, "bad escape \\" + e + " in the help");
            }
        }
        return out.toString();
    }

    private static void requireName(String name, int number) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw error(number, "bad metric name '" + name + "'");
        }
    }

    private static IllegalArgumentException error(int line, String what) {
        return new IllegalArgumentException("line " + line + ": " + what);
    }
}
