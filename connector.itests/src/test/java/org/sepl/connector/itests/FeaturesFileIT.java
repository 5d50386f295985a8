package org.sepl.connector.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Karaf features file installs exactly the bundles these tests prove in Felix, in the versions proven here
 * (no Karaf download in the build: the file is compared with the provisioned bundle files).
 */
public class FeaturesFileIT {

    /** Bundles a features file must hold, per feature; Karaf itself brings SCR, Config Admin, Metatype and Log. */
    private static final Map<String, List<String>> EXPECTED = new LinkedHashMap<>();

    static {
        List<String> client = new ArrayList<>(Deployment.CLIENT_RUNTIME);
        client.addAll(List.of("connector.api", "connector.impl", "connector.store.memory"));
        EXPECTED.put("sepl-connector", client);
        EXPECTED.put("sepl-connector-sqlite", List.of("sqlite-jdbc", "connector.store.sqlite"));
    }

    @Test
    public void everyFeatureBundleIsAProvisionedBundleInTheSameVersion() throws Exception {
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (Element feature : elements(features().getDocumentElement(), "feature")) {
            if (feature.getParentNode() != feature.getOwnerDocument().getDocumentElement()) {
                continue; // a <feature> dependency inside a feature
            }
            List<String> artifacts = new ArrayList<>();
            for (Element bundle : elements(feature, "bundle")) {
                String url = bundle.getTextContent().trim();
                assertTrue(url, url.startsWith("mvn:"));
                String[] gav = url.substring(4).split("/");
                String artifactId = gav[1];
                String version = gav[2];
                File provisioned = Deployment.bundleFile(artifactId);
                assertEquals("the version of " + artifactId + " the itests run", artifactId + "-" + version + ".jar",
                        provisioned.getName());
                artifacts.add(artifactId);
            }
            found.put(feature.getAttribute("name"), artifacts);
        }
        for (Map.Entry<String, List<String>> e : EXPECTED.entrySet()) {
            assertEquals("bundles of feature " + e.getKey(), new java.util.TreeSet<>(e.getValue()),
                    new java.util.TreeSet<>(found.getOrDefault(e.getKey(), List.of())));
        }
    }

    private static Document features() throws Exception {
        String path = System.getProperty("itest.features");
        assertTrue("system property itest.features names the features file: " + path, path != null && new File(path).isFile());
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new File(path));
    }

    private static List<Element> elements(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS("*", localName);
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }
}
