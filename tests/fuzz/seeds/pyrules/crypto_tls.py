# B501 verify=False, B502/B503/B504 TLS versions, B505 weak keys
import ssl
import requests
import httpx
from OpenSSL import SSL
from cryptography.hazmat.primitives.asymmetric import rsa, dsa, ec
from Crypto.PublicKey import RSA  # expect: B413
from ssl import wrap_socket as ws

requests.get(url, verify=False, timeout=5)  # expect: B501
httpx.Client(verify=False)  # expect: B501
requests.post(url, data=d, verify=False, timeout=3)  # expect: B501
requests.get(url, verify=True, timeout=5)  # ok
requests.get(url, verify="/etc/ssl/ca.pem", timeout=5)  # ok
httpx.get(url)  # ok

ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_SSLv3)  # expect: B502[sev=high]
SSL.Context(SSL.TLSv1_METHOD)  # expect: B502
ssl.SSLContext(ssl.PROTOCOL_TLSv1_1)  # expect: B502
other_wrap(sock, ssl_version=ssl.PROTOCOL_TLSv1)  # expect: B502[sev=medium]
ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLS_CLIENT)  # ok
ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # ok
SSL.Context(SSL.TLS_METHOD)  # ok

ssl.wrap_socket(sock)  # expect: B504
ssl.wrap_socket(sock, keyfile=k, certfile=c)  # expect: B504
ws(sock, server_side=True)  # expect: B504
ctx.wrap_socket(sock)  # ok
ssl.create_default_context().wrap_socket(sock)  # ok


def connect(host, version=ssl.PROTOCOL_SSLv2):  # expect: B503
    pass


def connect2(host, *, method=SSL.SSLv3_METHOD):  # expect: B503
    pass


def connect3(host, v=ssl.PROTOCOL_TLSv1):  # expect: B503
    pass


def ok1(host, version=ssl.PROTOCOL_TLS_CLIENT):  # ok
    pass


def ok2(host, v=None):  # ok
    pass


def ok3(host, v=3):  # ok
    pass


rsa.generate_private_key(public_exponent=65537, key_size=1024)  # expect: B505[sev=medium]
rsa.generate_private_key(65537, 512)  # expect: B505[sev=high]
dsa.generate_private_key(key_size=1024)  # expect: B505
ec.generate_private_key(ec.SECP192R1())  # expect: B505
RSA.generate(1024)  # expect: B505
rsa.generate_private_key(public_exponent=65537, key_size=4096)  # ok
ec.generate_private_key(ec.SECP256R1())  # ok
RSA.generate(bits=3072)  # ok
