/** The in-memory device manager, for plain-Java use; in OSGi it is registered as a service by this bundle. */
@Export
@Version("1.0.0")
package org.sepl.connector.store.memory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
