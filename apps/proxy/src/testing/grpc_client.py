"""A gRPC client of another implementation (Debian's python3-grpcio) for the proxy's tests.

Usage: grpc_client.py <proxy host:port> <authority> [<ca.pem> <cert-chain.pem> <key.pem> <server name>]. Calls
/test.Echo/Unary and /test.Echo/ServerStream with raw bytes (no protobuf) and prints what it got as one JSON object;
a call that fails is reported with its status code, details and trailers instead of its reply. With the four TLS
arguments it speaks mutual TLS, presenting the certificate and checking the server's name.
"""
import json
import sys

import grpc

target, authority = sys.argv[1], sys.argv[2]
options = [("grpc.default_authority", authority)]
if len(sys.argv) > 3:
    ca, chain, key = (open(p, "rb").read() for p in sys.argv[3:6])
    server_name = sys.argv[6]
    credentials = grpc.ssl_channel_credentials(root_certificates=ca, private_key=key, certificate_chain=chain)
    options.append(("grpc.ssl_target_name_override", server_name))
    channel = grpc.secure_channel(target, credentials, options=options)
else:
    channel = grpc.insecure_channel(target, options=options)
result = {}


def failure(error):
    return {"code": error.code().value[0], "details": error.details(), "trailers": dict(error.trailing_metadata() or ())}


unary = channel.unary_unary("/test.Echo/Unary")
try:
    reply, call = unary.with_call(b"from-python", timeout=10)
    result["unary"] = {"reply": reply.decode(), "trailers": dict(call.trailing_metadata())}
except grpc.RpcError as error:
    result["unary"] = failure(error)

try:
    unary(b"fail", timeout=10)
except grpc.RpcError as error:
    result["failed"] = failure(error)

stream = channel.unary_stream("/test.Echo/ServerStream")(b"5", timeout=10)
try:
    result["stream"] = {"items": [m.decode() for m in stream], "trailers": dict(stream.trailing_metadata()), "code": stream.code().value[0]}
except grpc.RpcError as error:
    result["stream"] = failure(error)

channel.close()
print(json.dumps(result))
