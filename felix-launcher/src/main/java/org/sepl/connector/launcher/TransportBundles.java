package org.sepl.connector.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Which embedded bundles belong to which WebSocket transport, read from the Karaf features file embedded beside
 * them ({@code bundles/features.xml}, connector.features' assignment of the one list's bundles to features): the
 * bundles of the feature {@value #FEATURE_PREFIX}NAME are that transport's. The launcher installs the chosen
 * transport and leaves out the bundles only another transport needs; the JDK transport, one small bundle that starts
 * no thread until used, stays beside Tyrus as the fallback a stopped Tyrus bundle falls back to.
 */
final class TransportBundles {

    /** The design's transport, the launcher's default. */
    static final String DEFAULT = "tyrus";
    /** The lean one, which stays installed beside any other. */
    static final String FALLBACK = "jdk";
    static final String FEATURE_PREFIX = "sepl-connector-transport-";
    private static final String FEATURES = "bundles/features.xml";

    private TransportBundles() {
    }

    /**
     * @return {@code transport}, if the launcher has it
     * @throws IllegalArgumentException naming the flag, the value and the transports there are
     */
    static String check(String transport) {
        Set<String> known = transports().keySet();
        if (!known.contains(transport)) {
            throw new IllegalArgumentException("--transport '" + transport + "': not a transport of this launcher; "
                    + "choose one of " + known);
        }
        return transport;
    }

    /** @return the jar file names ({@code artifactId.jar}) the gateway leaves out when it runs with {@code transport} */
    static Set<String> leftOutWith(String transport) {
        Map<String, Set<String>> all = transports();
        Set<String> leftOut = new LinkedHashSet<>();
        all.forEach((name, jars) -> {
            if (!name.equals(transport) && !name.equals(FALLBACK)) {
                leftOut.addAll(jars);
            }
        });
        leftOut.removeAll(all.get(transport));
        leftOut.removeAll(all.getOrDefault(FALLBACK, Set.of()));
        return leftOut;
    }

    /** @return every transport the features file names, with its bundles' jar file names */
    static Map<String, Set<String>> transports() {
        Map<String, Set<String>> transports = new LinkedHashMap<>();
        NodeList features = features().getElementsByTagName("feature");
        for (int i = 0; i < features.getLength(); i++) {
            Element feature = (Element) features.item(i);
            String name = feature.getAttribute("name");
            if (!name.startsWith(FEATURE_PREFIX)) {
                continue; // also the <feature> references inside a feature: they carry no name attribute
            }
            Set<String> jars = new LinkedHashSet<>();
            NodeList bundles = feature.getElementsByTagName("bundle");
            for (int b = 0; b < bundles.getLength(); b++) {
                // mvn:GROUP/ARTIFACT/VERSION: embedded as ARTIFACT.jar (the build strips versions)
                String[] coordinates = bundles.item(b).getTextContent().trim().substring("mvn:".length()).split("/");
                jars.add(coordinates[1] + ".jar");
            }
            transports.put(name.substring(FEATURE_PREFIX.length()), jars);
        }
        return transports;
    }

    private static Document features() {
        try (InputStream in = TransportBundles.class.getClassLoader().getResourceAsStream(FEATURES)) {
            if (in == null) {
                throw new IllegalStateException("launcher jar has no resource " + FEATURES);
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FEATURES, e);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot read " + FEATURES + ": " + e.getMessage(), e);
        }
    }
}
