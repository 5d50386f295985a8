package org.sepl.connector.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Karaf features file assigns the project's runtime bundles to features, and nothing else: every
 * {@code <bundle>} is a compile-scope bundle of the one list (connector.features/pom.xml) in the same version, and
 * every compile-scope bundle of the list is in a feature. (The runtime-scope ones, SCR, Config Admin, ..., come with
 * Karaf.) connector.karaf.itests then installs the features in a real Karaf.
 */
public class FeaturesFileIT {

    @Test
    public void theFeaturesHoldExactlyTheListsFeatureBundlesInTheirVersions() throws Exception {
        Set<String> listed = new TreeSet<>();
        for (Deployment.RuntimeBundle bundle : Deployment.runtime()) {
            if (bundle.inFeature()) {
                listed.add("mvn:" + bundle.groupId() + "/" + bundle.artifactId() + "/" + bundle.version());
            }
        }
        Set<String> inFeatures = new TreeSet<>();
        for (Element bundle : elements(features().getDocumentElement(), "bundle")) {
            String url = bundle.getTextContent().trim();
            assertTrue("a bundle of a feature is a Maven URL: " + url, url.startsWith("mvn:"));
            inFeatures.add(url);
        }
        assertEquals("bundles of the features file versus the compile-scope bundles of connector.features/pom.xml",
                listed, inFeatures);
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
