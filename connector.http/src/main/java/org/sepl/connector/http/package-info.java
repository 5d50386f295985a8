/**
 * Blocking HTTP calls for device integrations that talk HTTP (the original client's {@code http_lib}):
 * {@link org.sepl.connector.http.HttpHelper} with {@link org.sepl.connector.http.HttpOptions} (headers, basic
 * auth, timeout, retries) returning an {@link org.sepl.connector.http.HttpResult}. Built on {@code java.net.http}.
 */
@Export
@Version("1.0.0")
package org.sepl.connector.http;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
