package io.loomzk.protocol;

/**
 * The body of a request frame: what follows the {@link RequestHeader}.
 *
 * <p>A body does not carry its op code: as on the wire, the op code travels beside the body, in
 * the {@link RequestHeader} (see {@link Frames#request}) or in a {@link MultiHeader}. Jute uses
 * one body for several op codes ({@link CreateRequest} goes out as {@code create}, {@code create2}
 * or {@code createContainer}), so a body cannot know it. {@link OpCode#requestType()} says which
 * body each op code takes, and {@link Frames#request} checks the pairing.
 */
public sealed interface Request extends WireRecord
        permits AddWatchRequest,
                AuthPacket,
                CheckVersionRequest,
                CheckWatchesRequest,
                CreateRequest,
                CreateTTLRequest,
                DeleteRequest,
                ExistsRequest,
                GetACLRequest,
                GetAllChildrenNumberRequest,
                GetChildren2Request,
                GetChildrenRequest,
                GetDataRequest,
                GetEphemeralsRequest,
                GetSASLRequest,
                MultiRequest,
                ReconfigRequest,
                RemoveWatchesRequest,
                SetACLRequest,
                SetDataRequest,
                SetWatches,
                SetWatches2,
                SyncRequest {}
