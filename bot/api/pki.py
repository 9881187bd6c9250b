"""The API server's certificates: a self-signed CA made on first start and a server certificate
it signs, both kept in the database (table `api_pki`) so a backup carries them and every process
serving the same database presents the same CA to kubectl."""
from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass

from engine.store import Migration

MIGRATIONS: tuple[Migration, ...] = (
    ("api_0001_pki", """
        CREATE TABLE IF NOT EXISTS api_pki (name TEXT PRIMARY KEY, pem TEXT NOT NULL);
    """),
)

CA_NAME = "kubernetes"          # kubeadm's CA common name, as the lab's kubeconfig trusts
VALID = datetime.timedelta(days=3650)


@dataclass(frozen=True)
class Pki:
    ca_cert: str
    cert: str
    key: str


async def load_or_create(store, hosts: list[str]) -> Pki:
    """The stored CA and server certificate; made now when missing (or when a host is not covered)."""
    rows = dict(await store.fetchall("SELECT name, pem FROM api_pki"))
    if {"ca.crt", "ca.key", "server.crt", "server.key"} <= rows.keys() and _covers(rows["server.crt"], hosts):
        return Pki(rows["ca.crt"], rows["server.crt"], rows["server.key"])
    ca_cert, ca_key = (rows["ca.crt"], rows["ca.key"]) if "ca.crt" in rows else _make_ca()
    cert, key = _make_server(ca_cert, ca_key, hosts)
    for name, pem in (("ca.crt", ca_cert), ("ca.key", ca_key), ("server.crt", cert), ("server.key", key)):
        await store.execute("INSERT INTO api_pki (name, pem) VALUES (?, ?) "
                            "ON CONFLICT (name) DO UPDATE SET pem = excluded.pem", (name, pem))
    return Pki(ca_cert, cert, key)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _key():
    from cryptography.hazmat.primitives.asymmetric import ec
    return ec.generate_private_key(ec.SECP256R1())


def _pem_key(key) -> str:
    from cryptography.hazmat.primitives import serialization
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _pem_cert(cert) -> str:
    from cryptography.hazmat.primitives import serialization
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _make_ca() -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID
    key = _key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(_now() - datetime.timedelta(minutes=5))
            .not_valid_after(_now() + VALID)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return _pem_cert(cert), _pem_key(key)


def _alt_names(hosts: list[str]):
    from cryptography import x509
    names = []
    for host in dict.fromkeys(["localhost", "127.0.0.1", "kubernetes", *hosts]):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def _make_server(ca_pem: str, ca_key_pem: str, hosts: list[str]) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    ca = x509.load_pem_x509_certificate(ca_pem.encode())
    ca_key = serialization.load_pem_private_key(ca_key_pem.encode(), password=None)
    key = _key()
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-apiserver")]))
            .issuer_name(ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(_now() - datetime.timedelta(minutes=5)).not_valid_after(_now() + VALID)
            .add_extension(x509.SubjectAlternativeName(_alt_names(hosts)), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return _pem_cert(cert), _pem_key(key)


def _covers(cert_pem: str, hosts: list[str]) -> bool:
    from cryptography import x509
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    if cert.not_valid_after_utc < _now() + datetime.timedelta(days=30):
        return False
    have = {str(n.value) for n in cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value}
    return {str(n.value) for n in _alt_names(hosts)} <= have
