/**
 * The SQLite device manager and the durable SQLite outbox, for plain-Java use; in OSGi this bundle registers both
 * as services.
 */
@Export
@Version("1.1.0")
package org.sepl.connector.store.sqlite;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
