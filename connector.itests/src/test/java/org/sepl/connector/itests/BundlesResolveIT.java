package org.sepl.connector.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The deployment a user makes resolves in plain Felix: every bundle active, no component failed. (The client component
 * waits for its configuration: {@link ConnectorClientIT} gives it one.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundlesResolveIT {

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return options(Deployment.base(), Deployment.bundles(Deployment.SCR), Deployment.bundles(Deployment.CONFIGURATION),
                Deployment.bundles(Deployment.CLIENT_RUNTIME),
                Deployment.bundles(List.of("connector.api", "connector.impl", "connector.store.memory", "sqlite-jdbc",
                        "connector.store.sqlite")));
    }

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getState() != Bundle.ACTIVE && bundle.getHeaders().get("Fragment-Host") == null) {
                notActive.add(bundle.getSymbolicName() + " state=" + bundle.getState());
            }
        }
        assertEquals("bundles not active", List.of(), notActive);
    }

    @Test
    public void noComponentFailed() {
        List<String> failures = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            assertTrue(description.name + " is disabled", scr.isComponentEnabled(description));
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (configuration.failure != null) {
                    failures.add(description.name + ": " + configuration.failure);
                }
            }
        }
        assertEquals("component failures", List.of(), failures);
    }
}
