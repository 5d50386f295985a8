/** The SQLite device manager, for plain-Java use; in OSGi this bundle registers it as a service. */
@Export
@Version("1.0.0")
package org.sepl.connector.store.sqlite;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
