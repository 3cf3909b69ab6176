package io.loomzk.protocol;

import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;

/**
 * Every record of {@code io.loomzk.protocol}, each with a generator and explicit converters to
 * and from Apache's class. No reflection: a reviewer can check each converter field by field
 * against {@code zookeeper.jute}.
 *
 * <p>Apache's field order is its constructor's order (the jute order); LoomZK's side is written
 * with named accessors, and Apache's side is read with named getters.
 */
final class RecordCases {
    private RecordCases() {}

    /** Every case, in {@code zookeeper.jute} order, then the hand-written multi records. */
    static List<RecordCase<?, ?>> all() {
        return ALL;
    }

    /** The cases a client reads from a server. */
    static List<RecordCase<?, ?>> replies() {
        return ALL.stream().filter(RecordCase::reply).toList();
    }

    /** The case of one record class. */
    @SuppressWarnings("unchecked")
    static <L extends WireRecord> RecordCase<L, ?> of(Class<L> type) {
        for (RecordCase<?, ?> c : ALL) {
            if (c.type() == type) {
                return (RecordCase<L, ?>) c;
            }
        }
        throw new IllegalArgumentException("no case for " + type);
    }

    private static final List<RecordCase<?, ?>> ALL = List.of(
            // ---- org.apache.zookeeper.data
            RecordCase.of(Id.class, Gen::id, Jute::id, Jute::id, org.apache.zookeeper.data.Id::new, Id::read)
                    .lengths("Id.scheme", "Id.id"),
            RecordCase.of(ACL.class, Gen::acl, Jute::acl, Jute::acl, org.apache.zookeeper.data.ACL::new, ACL::read)
                    .lengths("Id.scheme", "Id.id"),
            RecordCase.of(
                    Stat.class, Gen::stat, Jute::stat, Jute::stat, org.apache.zookeeper.data.Stat::new, Stat::read),
            RecordCase.of(
                            ClientInfo.class,
                            Gen::clientInfo,
                            Jute::clientInfo,
                            Jute::clientInfo,
                            org.apache.zookeeper.data.ClientInfo::new,
                            ClientInfo::read)
                    .lengths("ClientInfo.authScheme", "ClientInfo.user"),

            // ---- org.apache.zookeeper.proto: handshake and headers
            RecordCase.of(
                            ConnectRequest.class,
                            g -> new ConnectRequest(g.i32(), g.i64(), g.i32(), g.i64(), g.buffer(), g.bool()),
                            l -> new org.apache.zookeeper.proto.ConnectRequest(
                                    l.protocolVersion(),
                                    l.lastZxidSeen(),
                                    l.timeOut(),
                                    l.sessionId(),
                                    l.passwd(),
                                    l.readOnly()),
                            a -> new ConnectRequest(
                                    a.getProtocolVersion(),
                                    a.getLastZxidSeen(),
                                    a.getTimeOut(),
                                    a.getSessionId(),
                                    a.getPasswd(),
                                    a.getReadOnly()),
                            org.apache.zookeeper.proto.ConnectRequest::new,
                            ConnectRequest::read)
                    .lengths("ConnectRequest.passwd"),
            RecordCase.of(
                            ConnectResponse.class,
                            g -> new ConnectResponse(g.i32(), g.i32(), g.i64(), g.buffer(), g.bool()),
                            l -> new org.apache.zookeeper.proto.ConnectResponse(
                                    l.protocolVersion(), l.timeOut(), l.sessionId(), l.passwd(), l.readOnly()),
                            a -> new ConnectResponse(
                                    a.getProtocolVersion(),
                                    a.getTimeOut(),
                                    a.getSessionId(),
                                    a.getPasswd(),
                                    a.getReadOnly()),
                            org.apache.zookeeper.proto.ConnectResponse::new,
                            ConnectResponse::read)
                    .lengths("ConnectResponse.passwd")
                    .asReply(),
            RecordCase.of(
                    RequestHeader.class,
                    g -> new RequestHeader(g.i32(), g.i32()),
                    l -> new org.apache.zookeeper.proto.RequestHeader(l.xid(), l.type()),
                    a -> new RequestHeader(a.getXid(), a.getType()),
                    org.apache.zookeeper.proto.RequestHeader::new,
                    RequestHeader::read),
            RecordCase.of(
                            ReplyHeader.class,
                            g -> new ReplyHeader(g.i32(), g.i64(), g.i32()),
                            l -> new org.apache.zookeeper.proto.ReplyHeader(l.xid(), l.zxid(), l.err()),
                            a -> new ReplyHeader(a.getXid(), a.getZxid(), a.getErr()),
                            org.apache.zookeeper.proto.ReplyHeader::new,
                            ReplyHeader::read)
                    .asReply(),
            RecordCase.of(
                    MultiHeader.class,
                    g -> new MultiHeader(g.i32(), g.bool(), g.i32()),
                    l -> new org.apache.zookeeper.proto.MultiHeader(l.type(), l.done(), l.err()),
                    a -> new MultiHeader(a.getType(), a.getDone(), a.getErr()),
                    org.apache.zookeeper.proto.MultiHeader::new,
                    MultiHeader::read),
            RecordCase.of(
                            AuthPacket.class,
                            g -> new AuthPacket(g.i32(), g.string(), g.buffer()),
                            l -> new org.apache.zookeeper.proto.AuthPacket(l.type(), l.scheme(), l.auth()),
                            a -> new AuthPacket(a.getType(), a.getScheme(), a.getAuth()),
                            org.apache.zookeeper.proto.AuthPacket::new,
                            AuthPacket::read)
                    .lengths("AuthPacket.scheme", "AuthPacket.auth"),
            RecordCase.of(
                            SetWatches.class,
                            g -> new SetWatches(g.i64(), g.strings(), g.strings(), g.strings()),
                            l -> new org.apache.zookeeper.proto.SetWatches(
                                    l.relativeZxid(), l.dataWatches(), l.existWatches(), l.childWatches()),
                            a -> new SetWatches(
                                    a.getRelativeZxid(), a.getDataWatches(), a.getExistWatches(), a.getChildWatches()),
                            org.apache.zookeeper.proto.SetWatches::new,
                            SetWatches::read)
                    .lengths("SetWatches.dataWatches", "SetWatches.existWatches", "SetWatches.childWatches"),
            RecordCase.of(
                            SetWatches2.class,
                            g -> new SetWatches2(
                                    g.i64(), g.strings(), g.strings(), g.strings(), g.strings(), g.strings()),
                            l -> new org.apache.zookeeper.proto.SetWatches2(
                                    l.relativeZxid(),
                                    l.dataWatches(),
                                    l.existWatches(),
                                    l.childWatches(),
                                    l.persistentWatches(),
                                    l.persistentRecursiveWatches()),
                            a -> new SetWatches2(
                                    a.getRelativeZxid(),
                                    a.getDataWatches(),
                                    a.getExistWatches(),
                                    a.getChildWatches(),
                                    a.getPersistentWatches(),
                                    a.getPersistentRecursiveWatches()),
                            org.apache.zookeeper.proto.SetWatches2::new,
                            SetWatches2::read)
                    .lengths(
                            "SetWatches2.dataWatches",
                            "SetWatches2.existWatches",
                            "SetWatches2.childWatches",
                            "SetWatches2.persistentWatches",
                            "SetWatches2.persistentRecursiveWatches"),

            // ---- requests
            RecordCase.of(
                            CreateRequest.class,
                            g -> new CreateRequest(g.string(), g.buffer(), g.acls(), g.i32()),
                            RecordCases::createRequest,
                            RecordCases::createRequest,
                            org.apache.zookeeper.proto.CreateRequest::new,
                            CreateRequest::read)
                    .lengths("CreateRequest.path", "CreateRequest.data", "CreateRequest.acl", "Id.scheme", "Id.id"),
            RecordCase.of(
                            CreateTTLRequest.class,
                            g -> new CreateTTLRequest(g.string(), g.buffer(), g.acls(), g.i32(), g.i64()),
                            RecordCases::createTTLRequest,
                            RecordCases::createTTLRequest,
                            org.apache.zookeeper.proto.CreateTTLRequest::new,
                            CreateTTLRequest::read)
                    .lengths(
                            "CreateTTLRequest.path",
                            "CreateTTLRequest.data",
                            "CreateTTLRequest.acl",
                            "Id.scheme",
                            "Id.id"),
            RecordCase.of(
                            DeleteRequest.class,
                            g -> new DeleteRequest(g.string(), g.i32()),
                            RecordCases::deleteRequest,
                            RecordCases::deleteRequest,
                            org.apache.zookeeper.proto.DeleteRequest::new,
                            DeleteRequest::read)
                    .lengths("DeleteRequest.path"),
            RecordCase.of(
                            GetChildrenRequest.class,
                            g -> new GetChildrenRequest(g.string(), g.bool()),
                            RecordCases::getChildrenRequest,
                            RecordCases::getChildrenRequest,
                            org.apache.zookeeper.proto.GetChildrenRequest::new,
                            GetChildrenRequest::read)
                    .lengths("GetChildrenRequest.path"),
            RecordCase.of(
                            GetAllChildrenNumberRequest.class,
                            g -> new GetAllChildrenNumberRequest(g.string()),
                            l -> new org.apache.zookeeper.proto.GetAllChildrenNumberRequest(l.path()),
                            a -> new GetAllChildrenNumberRequest(a.getPath()),
                            org.apache.zookeeper.proto.GetAllChildrenNumberRequest::new,
                            GetAllChildrenNumberRequest::read)
                    .lengths("GetAllChildrenNumberRequest.path"),
            RecordCase.of(
                            GetChildren2Request.class,
                            g -> new GetChildren2Request(g.string(), g.bool()),
                            l -> new org.apache.zookeeper.proto.GetChildren2Request(l.path(), l.watch()),
                            a -> new GetChildren2Request(a.getPath(), a.getWatch()),
                            org.apache.zookeeper.proto.GetChildren2Request::new,
                            GetChildren2Request::read)
                    .lengths("GetChildren2Request.path"),
            RecordCase.of(
                            CheckVersionRequest.class,
                            g -> new CheckVersionRequest(g.string(), g.i32()),
                            RecordCases::checkVersionRequest,
                            RecordCases::checkVersionRequest,
                            org.apache.zookeeper.proto.CheckVersionRequest::new,
                            CheckVersionRequest::read)
                    .lengths("CheckVersionRequest.path"),
            RecordCase.of(
                            GetEphemeralsRequest.class,
                            g -> new GetEphemeralsRequest(g.string()),
                            l -> new org.apache.zookeeper.proto.GetEphemeralsRequest(l.prefixPath()),
                            a -> new GetEphemeralsRequest(a.getPrefixPath()),
                            org.apache.zookeeper.proto.GetEphemeralsRequest::new,
                            GetEphemeralsRequest::read)
                    .lengths("GetEphemeralsRequest.prefixPath"),
            RecordCase.of(
                            ReconfigRequest.class,
                            g -> new ReconfigRequest(g.string(), g.string(), g.string(), g.i64()),
                            l -> new org.apache.zookeeper.proto.ReconfigRequest(
                                    l.joiningServers(), l.leavingServers(), l.newMembers(), l.curConfigId()),
                            a -> new ReconfigRequest(
                                    a.getJoiningServers(),
                                    a.getLeavingServers(),
                                    a.getNewMembers(),
                                    a.getCurConfigId()),
                            org.apache.zookeeper.proto.ReconfigRequest::new,
                            ReconfigRequest::read)
                    .lengths(
                            "ReconfigRequest.joiningServers",
                            "ReconfigRequest.leavingServers",
                            "ReconfigRequest.newMembers"),
            RecordCase.of(
                            SetDataRequest.class,
                            g -> new SetDataRequest(g.string(), g.buffer(), g.i32()),
                            RecordCases::setDataRequest,
                            RecordCases::setDataRequest,
                            org.apache.zookeeper.proto.SetDataRequest::new,
                            SetDataRequest::read)
                    .lengths("SetDataRequest.path", "SetDataRequest.data"),
            RecordCase.of(
                            GetSASLRequest.class,
                            g -> new GetSASLRequest(g.buffer()),
                            l -> new org.apache.zookeeper.proto.GetSASLRequest(l.token()),
                            a -> new GetSASLRequest(a.getToken()),
                            org.apache.zookeeper.proto.GetSASLRequest::new,
                            GetSASLRequest::read)
                    .lengths("GetSASLRequest.token"),
            RecordCase.of(
                            SetACLRequest.class,
                            g -> new SetACLRequest(g.string(), g.acls(), g.i32()),
                            l -> new org.apache.zookeeper.proto.SetACLRequest(
                                    l.path(), Jute.acls(l.acl()), l.version()),
                            a -> new SetACLRequest(a.getPath(), Jute.aclsFromJute(a.getAcl()), a.getVersion()),
                            org.apache.zookeeper.proto.SetACLRequest::new,
                            SetACLRequest::read)
                    .lengths("SetACLRequest.path", "SetACLRequest.acl", "Id.scheme", "Id.id"),
            RecordCase.of(
                            SetSASLRequest.class,
                            g -> new SetSASLRequest(g.buffer()),
                            l -> new org.apache.zookeeper.proto.SetSASLRequest(l.token()),
                            a -> new SetSASLRequest(a.getToken()),
                            org.apache.zookeeper.proto.SetSASLRequest::new,
                            SetSASLRequest::read)
                    .lengths("SetSASLRequest.token"),
            RecordCase.of(
                            GetACLRequest.class,
                            g -> new GetACLRequest(g.string()),
                            l -> new org.apache.zookeeper.proto.GetACLRequest(l.path()),
                            a -> new GetACLRequest(a.getPath()),
                            org.apache.zookeeper.proto.GetACLRequest::new,
                            GetACLRequest::read)
                    .lengths("GetACLRequest.path"),
            RecordCase.of(
                            GetDataRequest.class,
                            g -> new GetDataRequest(g.string(), g.bool()),
                            RecordCases::getDataRequest,
                            RecordCases::getDataRequest,
                            org.apache.zookeeper.proto.GetDataRequest::new,
                            GetDataRequest::read)
                    .lengths("GetDataRequest.path"),
            RecordCase.of(
                            ExistsRequest.class,
                            g -> new ExistsRequest(g.string(), g.bool()),
                            l -> new org.apache.zookeeper.proto.ExistsRequest(l.path(), l.watch()),
                            a -> new ExistsRequest(a.getPath(), a.getWatch()),
                            org.apache.zookeeper.proto.ExistsRequest::new,
                            ExistsRequest::read)
                    .lengths("ExistsRequest.path"),
            RecordCase.of(
                            SyncRequest.class,
                            g -> new SyncRequest(g.string()),
                            l -> new org.apache.zookeeper.proto.SyncRequest(l.path()),
                            a -> new SyncRequest(a.getPath()),
                            org.apache.zookeeper.proto.SyncRequest::new,
                            SyncRequest::read)
                    .lengths("SyncRequest.path"),
            RecordCase.of(
                            CheckWatchesRequest.class,
                            g -> new CheckWatchesRequest(g.string(), g.i32()),
                            l -> new org.apache.zookeeper.proto.CheckWatchesRequest(l.path(), l.type()),
                            a -> new CheckWatchesRequest(a.getPath(), a.getType()),
                            org.apache.zookeeper.proto.CheckWatchesRequest::new,
                            CheckWatchesRequest::read)
                    .lengths("CheckWatchesRequest.path"),
            RecordCase.of(
                            RemoveWatchesRequest.class,
                            g -> new RemoveWatchesRequest(g.string(), g.i32()),
                            l -> new org.apache.zookeeper.proto.RemoveWatchesRequest(l.path(), l.type()),
                            a -> new RemoveWatchesRequest(a.getPath(), a.getType()),
                            org.apache.zookeeper.proto.RemoveWatchesRequest::new,
                            RemoveWatchesRequest::read)
                    .lengths("RemoveWatchesRequest.path"),
            RecordCase.of(
                            AddWatchRequest.class,
                            g -> new AddWatchRequest(g.string(), g.i32()),
                            l -> new org.apache.zookeeper.proto.AddWatchRequest(l.path(), l.mode()),
                            a -> new AddWatchRequest(a.getPath(), a.getMode()),
                            org.apache.zookeeper.proto.AddWatchRequest::new,
                            AddWatchRequest::read)
                    .lengths("AddWatchRequest.path"),

            // ---- replies
            RecordCase.of(
                            WatcherEvent.class,
                            g -> new WatcherEvent(g.i32(), g.i32(), g.string()),
                            l -> new org.apache.zookeeper.proto.WatcherEvent(l.type(), l.state(), l.path()),
                            a -> new WatcherEvent(a.getType(), a.getState(), a.getPath()),
                            org.apache.zookeeper.proto.WatcherEvent::new,
                            WatcherEvent::read)
                    .lengths("WatcherEvent.path")
                    .asReply(),
            RecordCase.of(
                            ErrorResponse.class,
                            g -> new ErrorResponse(g.i32()),
                            RecordCases::errorResponse,
                            RecordCases::errorResponse,
                            org.apache.zookeeper.proto.ErrorResponse::new,
                            ErrorResponse::read)
                    .asReply(),
            RecordCase.of(
                            CreateResponse.class,
                            g -> new CreateResponse(g.string()),
                            RecordCases::createResponse,
                            RecordCases::createResponse,
                            org.apache.zookeeper.proto.CreateResponse::new,
                            CreateResponse::read)
                    .lengths("CreateResponse.path")
                    .asReply(),
            RecordCase.of(
                            Create2Response.class,
                            g -> new Create2Response(g.string(), g.stat()),
                            RecordCases::create2Response,
                            RecordCases::create2Response,
                            org.apache.zookeeper.proto.Create2Response::new,
                            Create2Response::read)
                    .lengths("Create2Response.path")
                    .asReply(),
            RecordCase.of(
                            ExistsResponse.class,
                            g -> new ExistsResponse(g.stat()),
                            l -> new org.apache.zookeeper.proto.ExistsResponse(Jute.stat(l.stat())),
                            a -> new ExistsResponse(Jute.stat(a.getStat())),
                            org.apache.zookeeper.proto.ExistsResponse::new,
                            ExistsResponse::read)
                    .asReply(),
            RecordCase.of(
                            GetDataResponse.class,
                            g -> new GetDataResponse(g.buffer(), g.stat()),
                            RecordCases::getDataResponse,
                            RecordCases::getDataResponse,
                            org.apache.zookeeper.proto.GetDataResponse::new,
                            GetDataResponse::read)
                    .lengths("GetDataResponse.data")
                    .asReply(),
            RecordCase.of(
                            GetChildrenResponse.class,
                            g -> new GetChildrenResponse(g.strings()),
                            RecordCases::getChildrenResponse,
                            RecordCases::getChildrenResponse,
                            org.apache.zookeeper.proto.GetChildrenResponse::new,
                            GetChildrenResponse::read)
                    .lengths("GetChildrenResponse.children")
                    .asReply(),
            RecordCase.of(
                            GetAllChildrenNumberResponse.class,
                            g -> new GetAllChildrenNumberResponse(g.i32()),
                            l -> new org.apache.zookeeper.proto.GetAllChildrenNumberResponse(l.totalNumber()),
                            a -> new GetAllChildrenNumberResponse(a.getTotalNumber()),
                            org.apache.zookeeper.proto.GetAllChildrenNumberResponse::new,
                            GetAllChildrenNumberResponse::read)
                    .asReply(),
            RecordCase.of(
                            GetChildren2Response.class,
                            g -> new GetChildren2Response(g.strings(), g.stat()),
                            l -> new org.apache.zookeeper.proto.GetChildren2Response(l.children(), Jute.stat(l.stat())),
                            a -> new GetChildren2Response(a.getChildren(), Jute.stat(a.getStat())),
                            org.apache.zookeeper.proto.GetChildren2Response::new,
                            GetChildren2Response::read)
                    .lengths("GetChildren2Response.children")
                    .asReply(),
            RecordCase.of(
                            GetACLResponse.class,
                            g -> new GetACLResponse(g.acls(), g.stat()),
                            l -> new org.apache.zookeeper.proto.GetACLResponse(Jute.acls(l.acl()), Jute.stat(l.stat())),
                            a -> new GetACLResponse(Jute.aclsFromJute(a.getAcl()), Jute.stat(a.getStat())),
                            org.apache.zookeeper.proto.GetACLResponse::new,
                            GetACLResponse::read)
                    .lengths("GetACLResponse.acl", "Id.scheme", "Id.id")
                    .asReply(),
            RecordCase.of(
                            SetACLResponse.class,
                            g -> new SetACLResponse(g.stat()),
                            l -> new org.apache.zookeeper.proto.SetACLResponse(Jute.stat(l.stat())),
                            a -> new SetACLResponse(Jute.stat(a.getStat())),
                            org.apache.zookeeper.proto.SetACLResponse::new,
                            SetACLResponse::read)
                    .asReply(),
            RecordCase.of(
                            SetDataResponse.class,
                            g -> new SetDataResponse(g.stat()),
                            RecordCases::setDataResponse,
                            RecordCases::setDataResponse,
                            org.apache.zookeeper.proto.SetDataResponse::new,
                            SetDataResponse::read)
                    .asReply(),
            RecordCase.of(
                            GetEphemeralsResponse.class,
                            g -> new GetEphemeralsResponse(g.strings()),
                            l -> new org.apache.zookeeper.proto.GetEphemeralsResponse(l.ephemerals()),
                            a -> new GetEphemeralsResponse(a.getEphemerals()),
                            org.apache.zookeeper.proto.GetEphemeralsResponse::new,
                            GetEphemeralsResponse::read)
                    .lengths("GetEphemeralsResponse.ephemerals")
                    .asReply(),
            RecordCase.of(
                            SetSASLResponse.class,
                            g -> new SetSASLResponse(g.buffer()),
                            l -> new org.apache.zookeeper.proto.SetSASLResponse(l.token()),
                            a -> new SetSASLResponse(a.getToken()),
                            org.apache.zookeeper.proto.SetSASLResponse::new,
                            SetSASLResponse::read)
                    .lengths("SetSASLResponse.token")
                    .asReply(),
            RecordCase.of(
                            SyncResponse.class,
                            g -> new SyncResponse(g.string()),
                            l -> new org.apache.zookeeper.proto.SyncResponse(l.path()),
                            a -> new SyncResponse(a.getPath()),
                            org.apache.zookeeper.proto.SyncResponse::new,
                            SyncResponse::read)
                    .lengths("SyncResponse.path")
                    .asReply(),
            RecordCase.of(
                            WhoAmIResponse.class,
                            g -> new WhoAmIResponse(g.list(g::clientInfo)),
                            l -> new org.apache.zookeeper.proto.WhoAmIResponse(
                                    Jute.map(l.clientInfo(), Jute::clientInfo)),
                            a -> new WhoAmIResponse(Jute.map(a.getClientInfo(), Jute::clientInfo)),
                            org.apache.zookeeper.proto.WhoAmIResponse::new,
                            WhoAmIResponse::read)
                    .lengths("WhoAmIResponse.clientInfo", "ClientInfo.authScheme", "ClientInfo.user")
                    .asReply(),

            // ---- hand-written in Apache ZooKeeper too
            RecordCase.of(
                            MultiRequest.class,
                            RecordCases::multiRequest,
                            RecordCases::multiRequest,
                            RecordCases::multiRequest,
                            MultiOperationRecord::new,
                            MultiRequest::read)
                    .lengths(
                            "CreateRequest.path",
                            "CreateRequest.data",
                            "CreateRequest.acl",
                            "Id.scheme",
                            "Id.id",
                            "CreateTTLRequest.path",
                            "CreateTTLRequest.data",
                            "CreateTTLRequest.acl",
                            "DeleteRequest.path",
                            "SetDataRequest.path",
                            "SetDataRequest.data",
                            "CheckVersionRequest.path",
                            "GetDataRequest.path",
                            "GetChildrenRequest.path"),
            RecordCase.of(
                            MultiResponse.class,
                            RecordCases::multiResponse,
                            RecordCases::multiResponse,
                            RecordCases::multiResponse,
                            org.apache.zookeeper.MultiResponse::new,
                            MultiResponse::read)
                    .lengths(
                            "CreateResponse.path",
                            "Create2Response.path",
                            "GetDataResponse.data",
                            "GetChildrenResponse.children")
                    .asReply());

    // ---- converters shared by the top-level cases and the multi records

    static org.apache.zookeeper.proto.CreateRequest createRequest(CreateRequest l) {
        return new org.apache.zookeeper.proto.CreateRequest(l.path(), l.data(), Jute.acls(l.acl()), l.flags());
    }

    static CreateRequest createRequest(org.apache.zookeeper.proto.CreateRequest a) {
        return new CreateRequest(a.getPath(), a.getData(), Jute.aclsFromJute(a.getAcl()), a.getFlags());
    }

    static org.apache.zookeeper.proto.CreateTTLRequest createTTLRequest(CreateTTLRequest l) {
        return new org.apache.zookeeper.proto.CreateTTLRequest(
                l.path(), l.data(), Jute.acls(l.acl()), l.flags(), l.ttl());
    }

    static CreateTTLRequest createTTLRequest(org.apache.zookeeper.proto.CreateTTLRequest a) {
        return new CreateTTLRequest(a.getPath(), a.getData(), Jute.aclsFromJute(a.getAcl()), a.getFlags(), a.getTtl());
    }

    static org.apache.zookeeper.proto.DeleteRequest deleteRequest(DeleteRequest l) {
        return new org.apache.zookeeper.proto.DeleteRequest(l.path(), l.version());
    }

    static DeleteRequest deleteRequest(org.apache.zookeeper.proto.DeleteRequest a) {
        return new DeleteRequest(a.getPath(), a.getVersion());
    }

    static org.apache.zookeeper.proto.SetDataRequest setDataRequest(SetDataRequest l) {
        return new org.apache.zookeeper.proto.SetDataRequest(l.path(), l.data(), l.version());
    }

    static SetDataRequest setDataRequest(org.apache.zookeeper.proto.SetDataRequest a) {
        return new SetDataRequest(a.getPath(), a.getData(), a.getVersion());
    }

    static org.apache.zookeeper.proto.CheckVersionRequest checkVersionRequest(CheckVersionRequest l) {
        return new org.apache.zookeeper.proto.CheckVersionRequest(l.path(), l.version());
    }

    static CheckVersionRequest checkVersionRequest(org.apache.zookeeper.proto.CheckVersionRequest a) {
        return new CheckVersionRequest(a.getPath(), a.getVersion());
    }

    static org.apache.zookeeper.proto.GetDataRequest getDataRequest(GetDataRequest l) {
        return new org.apache.zookeeper.proto.GetDataRequest(l.path(), l.watch());
    }

    static GetDataRequest getDataRequest(org.apache.zookeeper.proto.GetDataRequest a) {
        return new GetDataRequest(a.getPath(), a.getWatch());
    }

    static org.apache.zookeeper.proto.GetChildrenRequest getChildrenRequest(GetChildrenRequest l) {
        return new org.apache.zookeeper.proto.GetChildrenRequest(l.path(), l.watch());
    }

    static GetChildrenRequest getChildrenRequest(org.apache.zookeeper.proto.GetChildrenRequest a) {
        return new GetChildrenRequest(a.getPath(), a.getWatch());
    }

    static org.apache.zookeeper.proto.ErrorResponse errorResponse(ErrorResponse l) {
        return new org.apache.zookeeper.proto.ErrorResponse(l.err());
    }

    static ErrorResponse errorResponse(org.apache.zookeeper.proto.ErrorResponse a) {
        return new ErrorResponse(a.getErr());
    }

    static org.apache.zookeeper.proto.CreateResponse createResponse(CreateResponse l) {
        return new org.apache.zookeeper.proto.CreateResponse(l.path());
    }

    static CreateResponse createResponse(org.apache.zookeeper.proto.CreateResponse a) {
        return new CreateResponse(a.getPath());
    }

    static org.apache.zookeeper.proto.Create2Response create2Response(Create2Response l) {
        return new org.apache.zookeeper.proto.Create2Response(l.path(), Jute.stat(l.stat()));
    }

    static Create2Response create2Response(org.apache.zookeeper.proto.Create2Response a) {
        return new Create2Response(a.getPath(), Jute.stat(a.getStat()));
    }

    static org.apache.zookeeper.proto.GetDataResponse getDataResponse(GetDataResponse l) {
        return new org.apache.zookeeper.proto.GetDataResponse(l.data(), Jute.stat(l.stat()));
    }

    static GetDataResponse getDataResponse(org.apache.zookeeper.proto.GetDataResponse a) {
        return new GetDataResponse(a.getData(), Jute.stat(a.getStat()));
    }

    static org.apache.zookeeper.proto.GetChildrenResponse getChildrenResponse(GetChildrenResponse l) {
        return new org.apache.zookeeper.proto.GetChildrenResponse(l.children());
    }

    static GetChildrenResponse getChildrenResponse(org.apache.zookeeper.proto.GetChildrenResponse a) {
        return new GetChildrenResponse(a.getChildren());
    }

    static org.apache.zookeeper.proto.SetDataResponse setDataResponse(SetDataResponse l) {
        return new org.apache.zookeeper.proto.SetDataResponse(Jute.stat(l.stat()));
    }

    static SetDataResponse setDataResponse(org.apache.zookeeper.proto.SetDataResponse a) {
        return new SetDataResponse(Jute.stat(a.getStat()));
    }

    // ---- MultiRequest <-> org.apache.zookeeper.MultiOperationRecord

    /**
     * A multi request Apache's {@code MultiOperationRecord} can hold. Its object model restricts
     * the shapes, so this generator does:
     *
     * <ul>
     *   <li>reads and writes never mix: {@code MultiOperationRecord} refuses that (a
     *       {@code multiRead} is all getData/getChildren, a {@code multi} all writes);
     *   <li>getData/getChildren ops have {@code watch=false}: {@code Op.GetData} and
     *       {@code Op.GetChildren} always write false;
     *   <li>create, create2 and createContainer have a non-null ACL list ({@code CreateOptions}
     *       requires one when jute decodes them) and a create mode the op code keeps: flags 0..3
     *       for create and create2 (4 turns into createContainer, 5 and 6 into createTTL, anything
     *       else is refused on decoding), 4 for createContainer, 5 or 6 for createTTL;
     *   <li>no other op type: Apache writes and reads only these nine.
     * </ul>
     *
     * Strings, buffers and the createTTL ACL list may still be null, and every int and long is
     * unrestricted. {@link HostileInputTest} covers the shapes Apache cannot hold.
     */
    static MultiRequest multiRequest(Gen g) {
        boolean reads = g.style() == Gen.Style.RICH ? g.variant() % 2 == 1 : g.chance(30);
        List<OpCode> types;
        switch (g.style()) {
            case EMPTIES -> types = List.of();
            case NULLS, MAX, MIN, RICH ->
                types = reads
                        ? List.of(OpCode.GET_DATA, OpCode.GET_CHILDREN)
                        : List.of(
                                OpCode.CREATE,
                                OpCode.CREATE2,
                                OpCode.CREATE_CONTAINER,
                                OpCode.CREATE_TTL,
                                OpCode.DELETE,
                                OpCode.SET_DATA,
                                OpCode.CHECK);
            default -> {
                List<OpCode> pool = reads
                        ? List.of(OpCode.GET_DATA, OpCode.GET_CHILDREN)
                        : List.of(
                                OpCode.CREATE,
                                OpCode.CREATE2,
                                OpCode.CREATE_CONTAINER,
                                OpCode.CREATE_TTL,
                                OpCode.DELETE,
                                OpCode.SET_DATA,
                                OpCode.CHECK);
                int n = g.chance(10) ? 0 : 1 + g.below(8);
                types = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    types.add(pool.get(g.below(pool.size())));
                }
            }
        }
        List<MultiRequest.Op> ops = new ArrayList<>();
        for (OpCode type : types) {
            Request body = switch (type) {
                case CREATE, CREATE2 -> new CreateRequest(g.string(), g.buffer(), nonNullAcls(g), g.oneOf(0, 1, 2, 3));
                case CREATE_CONTAINER -> new CreateRequest(g.string(), g.buffer(), nonNullAcls(g), 4);
                case CREATE_TTL -> new CreateTTLRequest(g.string(), g.buffer(), g.acls(), g.oneOf(5, 6), g.i64());
                case DELETE -> new DeleteRequest(g.string(), g.i32());
                case SET_DATA -> new SetDataRequest(g.string(), g.buffer(), g.i32());
                case CHECK -> new CheckVersionRequest(g.string(), g.i32());
                case GET_DATA -> new GetDataRequest(g.string(), false);
                case GET_CHILDREN -> new GetChildrenRequest(g.string(), false);
                default -> throw new AssertionError(type);
            };
            ops.add(new MultiRequest.Op(type, body));
        }
        return new MultiRequest(ops);
    }

    private static List<ACL> nonNullAcls(Gen g) {
        List<ACL> acls = g.acls();
        return acls == null ? new ArrayList<>() : acls;
    }

    static MultiOperationRecord multiRequest(MultiRequest l) {
        List<org.apache.zookeeper.Op> ops = new ArrayList<>();
        for (MultiRequest.Op op : l.ops()) {
            ops.add(
                    switch (op.type()) {
                        case CREATE -> {
                            CreateRequest c = (CreateRequest) op.body();
                            requireShape(c.flags() >= 0 && c.flags() <= 3, op);
                            yield org.apache.zookeeper.Op.create(c.path(), c.data(), Jute.acls(c.acl()), c.flags());
                        }
                        case CREATE2 -> {
                            CreateRequest c = (CreateRequest) op.body();
                            requireShape(c.flags() >= 0 && c.flags() <= 3 && c.acl() != null, op);
                            org.apache.zookeeper.CreateMode mode =
                                    org.apache.zookeeper.CreateMode.fromFlag(c.flags(), null);
                            yield org.apache.zookeeper.Op.create(
                                    c.path(),
                                    c.data(),
                                    org.apache.zookeeper.CreateOptions.newBuilder(Jute.acls(c.acl()), mode)
                                            .build());
                        }
                        case CREATE_CONTAINER -> {
                            CreateRequest c = (CreateRequest) op.body();
                            requireShape(c.flags() == 4, op);
                            yield org.apache.zookeeper.Op.create(
                                    c.path(), c.data(), Jute.acls(c.acl()), org.apache.zookeeper.CreateMode.CONTAINER);
                        }
                        case CREATE_TTL -> {
                            CreateTTLRequest c = (CreateTTLRequest) op.body();
                            requireShape(c.flags() == 5 || c.flags() == 6, op);
                            yield org.apache.zookeeper.Op.create(
                                    c.path(), c.data(), Jute.acls(c.acl()), c.flags(), c.ttl());
                        }
                        case DELETE -> {
                            DeleteRequest d = (DeleteRequest) op.body();
                            yield org.apache.zookeeper.Op.delete(d.path(), d.version());
                        }
                        case SET_DATA -> {
                            SetDataRequest s = (SetDataRequest) op.body();
                            yield org.apache.zookeeper.Op.setData(s.path(), s.data(), s.version());
                        }
                        case CHECK -> {
                            CheckVersionRequest c = (CheckVersionRequest) op.body();
                            yield org.apache.zookeeper.Op.check(c.path(), c.version());
                        }
                        case GET_DATA -> {
                            GetDataRequest d = (GetDataRequest) op.body();
                            requireShape(!d.watch(), op);
                            yield org.apache.zookeeper.Op.getData(d.path());
                        }
                        case GET_CHILDREN -> {
                            GetChildrenRequest c = (GetChildrenRequest) op.body();
                            requireShape(!c.watch(), op);
                            yield org.apache.zookeeper.Op.getChildren(c.path());
                        }
                        default -> throw new AssertionError("not a multi op: " + op);
                    });
        }
        return new MultiOperationRecord(ops);
    }

    private static void requireShape(boolean ok, MultiRequest.Op op) {
        if (!ok) {
            throw new AssertionError("Apache's Op cannot hold " + op + " (the generator should not make it)");
        }
    }

    static MultiRequest multiRequest(MultiOperationRecord a) {
        List<MultiRequest.Op> ops = new ArrayList<>();
        for (org.apache.zookeeper.Op op : a) {
            // toRequestRecord() is what MultiOperationRecord.serialize writes for the op.
            org.apache.jute.Record body = op.toRequestRecord();
            ops.add(
                    switch (op.getType()) {
                        case ZooDefs.OpCode.create ->
                            new MultiRequest.Op(
                                    OpCode.CREATE, createRequest((org.apache.zookeeper.proto.CreateRequest) body));
                        case ZooDefs.OpCode.create2 ->
                            new MultiRequest.Op(
                                    OpCode.CREATE2, createRequest((org.apache.zookeeper.proto.CreateRequest) body));
                        case ZooDefs.OpCode.createContainer ->
                            new MultiRequest.Op(
                                    OpCode.CREATE_CONTAINER,
                                    createRequest((org.apache.zookeeper.proto.CreateRequest) body));
                        case ZooDefs.OpCode.createTTL ->
                            new MultiRequest.Op(
                                    OpCode.CREATE_TTL,
                                    createTTLRequest((org.apache.zookeeper.proto.CreateTTLRequest) body));
                        case ZooDefs.OpCode.delete ->
                            new MultiRequest.Op(
                                    OpCode.DELETE, deleteRequest((org.apache.zookeeper.proto.DeleteRequest) body));
                        case ZooDefs.OpCode.setData ->
                            new MultiRequest.Op(
                                    OpCode.SET_DATA, setDataRequest((org.apache.zookeeper.proto.SetDataRequest) body));
                        case ZooDefs.OpCode.check ->
                            new MultiRequest.Op(
                                    OpCode.CHECK,
                                    checkVersionRequest((org.apache.zookeeper.proto.CheckVersionRequest) body));
                        case ZooDefs.OpCode.getData ->
                            new MultiRequest.Op(
                                    OpCode.GET_DATA, getDataRequest((org.apache.zookeeper.proto.GetDataRequest) body));
                        case ZooDefs.OpCode.getChildren ->
                            new MultiRequest.Op(
                                    OpCode.GET_CHILDREN,
                                    getChildrenRequest((org.apache.zookeeper.proto.GetChildrenRequest) body));
                        default -> throw new AssertionError("unexpected Apache op type " + op.getType());
                    });
        }
        return new MultiRequest(ops);
    }

    // ---- MultiResponse <-> org.apache.zookeeper.MultiResponse

    /**
     * A multi reply Apache's {@code MultiResponse} can hold. Apache derives each header's
     * {@code err} from the result (the error code for an error result, 0 otherwise), so this
     * generator keeps header and body consistent that way; every result type and every mix of
     * types (as a multiRead reply has) is generated, error codes are any int.
     * {@link HostileInputTest} and {@link RecordsTest} cover headers that disagree with the body.
     */
    static MultiResponse multiResponse(Gen g) {
        List<OpCode> all = List.of(
                OpCode.CREATE,
                OpCode.CREATE2,
                OpCode.DELETE,
                OpCode.CHECK,
                OpCode.SET_DATA,
                OpCode.GET_DATA,
                OpCode.GET_CHILDREN,
                OpCode.ERROR);
        List<OpCode> types;
        switch (g.style()) {
            case EMPTIES -> types = List.of();
            case NULLS, MAX, MIN, RICH -> types = all;
            default -> {
                int n = g.chance(10) ? 0 : 1 + g.below(8);
                types = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    types.add(all.get(g.below(all.size())));
                }
            }
        }
        List<MultiResponse.Result> results = new ArrayList<>();
        for (OpCode type : types) {
            results.add(
                    switch (type) {
                        case CREATE -> new MultiResponse.Result(type, 0, new CreateResponse(g.string()));
                        case CREATE2 -> new MultiResponse.Result(type, 0, new Create2Response(g.string(), g.stat()));
                        case DELETE, CHECK -> new MultiResponse.Result(type, 0, null);
                        case SET_DATA -> new MultiResponse.Result(type, 0, new SetDataResponse(g.stat()));
                        case GET_DATA -> new MultiResponse.Result(type, 0, new GetDataResponse(g.buffer(), g.stat()));
                        case GET_CHILDREN -> new MultiResponse.Result(type, 0, new GetChildrenResponse(g.strings()));
                        case ERROR -> {
                            int err = g.chance(50) ? g.i32() : g.oneOf(0, -2, -101, -103, -110, -111, -999);
                            yield new MultiResponse.Result(type, err, new ErrorResponse(err));
                        }
                        default -> throw new AssertionError(type);
                    });
        }
        return new MultiResponse(results);
    }

    static org.apache.zookeeper.MultiResponse multiResponse(MultiResponse l) {
        org.apache.zookeeper.MultiResponse a = new org.apache.zookeeper.MultiResponse();
        for (MultiResponse.Result r : l.results()) {
            if (r.type() == OpCode.ERROR ? r.err() != ((ErrorResponse) r.body()).err() : r.err() != 0) {
                throw new AssertionError("Apache's OpResult cannot hold " + r + " (the generator should not make it)");
            }
            a.add(
                    switch (r.type()) {
                        case CREATE -> new OpResult.CreateResult(((CreateResponse) r.body()).path());
                        case CREATE2 -> {
                            Create2Response c = (Create2Response) r.body();
                            yield new OpResult.CreateResult(c.path(), Jute.stat(c.stat()));
                        }
                        case DELETE -> new OpResult.DeleteResult();
                        case CHECK -> new OpResult.CheckResult();
                        case SET_DATA -> new OpResult.SetDataResult(Jute.stat(((SetDataResponse) r.body()).stat()));
                        case GET_DATA -> {
                            GetDataResponse d = (GetDataResponse) r.body();
                            yield new OpResult.GetDataResult(d.data(), Jute.stat(d.stat()));
                        }
                        case GET_CHILDREN ->
                            new OpResult.GetChildrenResult(((GetChildrenResponse) r.body()).children());
                        case ERROR -> new OpResult.ErrorResult(((ErrorResponse) r.body()).err());
                        default -> throw new AssertionError("not a multi result: " + r);
                    });
        }
        return a;
    }

    static MultiResponse multiResponse(org.apache.zookeeper.MultiResponse a) {
        List<MultiResponse.Result> results = new ArrayList<>();
        for (OpResult r : a) {
            results.add(
                    switch (r.getType()) {
                        case ZooDefs.OpCode.create ->
                            new MultiResponse.Result(
                                    OpCode.CREATE, 0, new CreateResponse(((OpResult.CreateResult) r).getPath()));
                        case ZooDefs.OpCode.create2 -> {
                            OpResult.CreateResult c = (OpResult.CreateResult) r;
                            yield new MultiResponse.Result(
                                    OpCode.CREATE2, 0, new Create2Response(c.getPath(), Jute.stat(c.getStat())));
                        }
                        case ZooDefs.OpCode.delete -> new MultiResponse.Result(OpCode.DELETE, 0, null);
                        case ZooDefs.OpCode.check -> new MultiResponse.Result(OpCode.CHECK, 0, null);
                        case ZooDefs.OpCode.setData ->
                            new MultiResponse.Result(
                                    OpCode.SET_DATA,
                                    0,
                                    new SetDataResponse(Jute.stat(((OpResult.SetDataResult) r).getStat())));
                        case ZooDefs.OpCode.getData -> {
                            OpResult.GetDataResult d = (OpResult.GetDataResult) r;
                            yield new MultiResponse.Result(
                                    OpCode.GET_DATA, 0, new GetDataResponse(d.getData(), Jute.stat(d.getStat())));
                        }
                        case ZooDefs.OpCode.getChildren ->
                            new MultiResponse.Result(
                                    OpCode.GET_CHILDREN,
                                    0,
                                    new GetChildrenResponse(((OpResult.GetChildrenResult) r).getChildren()));
                        case ZooDefs.OpCode.error -> {
                            int err = ((OpResult.ErrorResult) r).getErr();
                            yield new MultiResponse.Result(OpCode.ERROR, err, new ErrorResponse(err));
                        }
                        default -> throw new AssertionError("unexpected Apache result type " + r.getType());
                    });
        }
        return new MultiResponse(results);
    }
}
