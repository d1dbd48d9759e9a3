#include "reports/signing_key.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

namespace lims::reports {

void SigningKey::PkeyFree::operator()(EVP_PKEY* p) const {
  EVP_PKEY_free(p);
}
void SigningKey::X509Free::operator()(X509* p) const {
  X509_free(p);
}
void SigningKey::ChainFree::operator()(stack_st_X509* p) const {
  sk_X509_pop_free(p, X509_free);
}

namespace {

struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
struct Pkcs12Free {
  void operator()(PKCS12* p) const { PKCS12_free(p); }
};
using Pkcs12Ptr = std::unique_ptr<PKCS12, Pkcs12Free>;

// Drains OpenSSL's thread-local error queue into one line. The queue holds reason strings only
// (library, function, reason), never key bytes or passwords.
std::string OpenSslErrors() {
  std::string out;
  while (const unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "no OpenSSL error recorded" : out;
}

Status SslError(Status::Code code, const std::string& what) {
  const std::string msg = what + ": " + OpenSslErrors();
  return code == Status::Code::kInternal ? Status::Internal(msg) : Status::InvalidArgument(msg);
}

// Refuses encrypted PEM keys instead of letting OpenSSL prompt on the controlling terminal.
int NoPassword(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) {
  return -1;
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

Result<BioPtr> OpenForRead(const std::string& path, const char* what) {
  ERR_clear_error();
  BioPtr bio(BIO_new_file(path.c_str(), "rb"));
  if (!bio) return SslError(Status::Code::kInvalidArgument, std::string("cannot open ") + what + " " + path);
  return bio;
}

// Reads every certificate of a PEM file; stops at the end of the file (not an error after the first).
Status ReadChain(const std::string& path, stack_st_X509* chain) {
  Result<BioPtr> bio = OpenForRead(path, "certificate chain");
  if (!bio.ok()) return bio.status();
  while (X509* cert = PEM_read_bio_X509(bio->get(), nullptr, NoPassword, nullptr)) {
    if (sk_X509_push(chain, cert) == 0) {
      X509_free(cert);
      return SslError(Status::Code::kInternal, "cannot store chain certificate");
    }
  }
  const unsigned long last = ERR_peek_last_error();
  if (sk_X509_num(chain) == 0 || ERR_GET_REASON(last) != PEM_R_NO_START_LINE) {
    return SslError(Status::Code::kInvalidArgument, "cannot parse certificate chain " + path);
  }
  ERR_clear_error();
  return Status::Ok();
}

}  // namespace

Result<SigningKey> SigningKey::Assemble(EVP_PKEY* pkey, X509* cert, stack_st_X509* chain) {
  SigningKey key;
  key.pkey_.reset(pkey);
  key.cert_.reset(cert);
  key.chain_.reset(chain != nullptr ? chain : sk_X509_new_null());
  if (!key.pkey_ || !key.cert_ || !key.chain_) return SslError(Status::Code::kInternal, "incomplete signing key");
  if (X509_check_private_key(key.cert_.get(), key.pkey_.get()) != 1) {
    return SslError(Status::Code::kInvalidArgument, "the private key does not match the certificate");
  }
  return key;
}

Result<SigningKey> SigningKey::LoadPem(const std::string& key_path, const std::string& cert_path,
                                       const std::string& chain_path) {
  Result<BioPtr> key_bio = OpenForRead(key_path, "private key");
  if (!key_bio.ok()) return key_bio.status();
  PkeyPtr pkey(PEM_read_bio_PrivateKey(key_bio->get(), nullptr, NoPassword, nullptr));
  if (!pkey) return SslError(Status::Code::kInvalidArgument, "cannot parse private key " + key_path);
  Result<BioPtr> cert_bio = OpenForRead(cert_path, "certificate");
  if (!cert_bio.ok()) return cert_bio.status();
  X509Ptr cert(PEM_read_bio_X509(cert_bio->get(), nullptr, NoPassword, nullptr));
  if (!cert) return SslError(Status::Code::kInvalidArgument, "cannot parse certificate " + cert_path);
  std::unique_ptr<stack_st_X509, ChainFree> chain(sk_X509_new_null());
  if (!chain) return SslError(Status::Code::kInternal, "cannot allocate chain");
  if (!chain_path.empty()) LIMS_RETURN_IF_ERROR(ReadChain(chain_path, chain.get()));
  return Assemble(pkey.release(), cert.release(), chain.release());
}

Result<SigningKey> SigningKey::LoadPkcs12(const std::string& path, const std::string& password) {
  Result<BioPtr> bio = OpenForRead(path, "PKCS#12 file");
  if (!bio.ok()) return bio.status();
  Pkcs12Ptr p12(d2i_PKCS12_bio(bio->get(), nullptr));
  if (!p12) return SslError(Status::Code::kInvalidArgument, "cannot parse PKCS#12 file " + path);
  // Checked first so that a wrong password reads as such rather than as a decryption failure.
  if (PKCS12_mac_present(p12.get()) == 1 &&
      PKCS12_verify_mac(p12.get(), password.c_str(), static_cast<int>(password.size())) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument("wrong password for PKCS#12 file " + path + " (MAC verification failed)");
  }
  EVP_PKEY* pkey = nullptr;
  X509* cert = nullptr;
  stack_st_X509* chain = nullptr;
  if (PKCS12_parse(p12.get(), password.c_str(), &pkey, &cert, &chain) != 1) {
    return SslError(Status::Code::kInvalidArgument, "cannot decrypt PKCS#12 file " + path);
  }
  if (cert == nullptr || pkey == nullptr) {
    EVP_PKEY_free(pkey);
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    return Status::InvalidArgument("PKCS#12 file " + path + " lacks a private key or its certificate");
  }
  return Assemble(pkey, cert, chain);
}

std::string SigningKey::SubjectCommonName() const {
  const X509_NAME* name = X509_get_subject_name(cert_.get());
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return "";
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return "";
  std::string cn(reinterpret_cast<const char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return cn;
}

std::string SigningKey::PublicKeyPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey_.get()) != 1) return "";
  return BioContents(bio.get());
}

std::string SigningKey::CertificatePem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert_.get()) != 1) return "";
  return BioContents(bio.get());
}

// ---- Demo lab keys ----

namespace {

constexpr const char* kCaFile = "ca.pem";
constexpr const char* kKeyFile = "signing-key.pem";
constexpr const char* kCertFile = "signing-cert.pem";
constexpr long kValiditySeconds = 5L * 366 * 24 * 3600;

Result<PkeyPtr> GenerateKey(KeyType type) {
  PkeyPtr key(type == KeyType::kRsa2048 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))
                                        : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return SslError(Status::Code::kInternal, "key generation failed");
  return key;
}

bool SetName(X509_NAME* name, const char* cn) {
  auto add = [name](const char* field, const char* value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value), -1, -1,
                                      0) == 1;
  };
  return add("CN", cn) && add("O", "Pramaan demo lab");
}

bool SetRandomSerial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return false;
  bytes[0] &= 0x7f;  // a positive INTEGER
  BIGNUM* bn = BN_bin2bn(bytes, sizeof(bytes), nullptr);
  const bool ok = bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr;
  BN_free(bn);
  return ok;
}

// Adds extensions in order: the subject key identifier must exist before a self-signed certificate's
// authority key identifier can refer to it.
bool AddExtensions(X509* cert, X509* issuer, const char* const (*exts)[2], size_t count) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  for (size_t i = 0; i < count; ++i) {
    X509_EXTENSION* ext = X509V3_EXT_nconf(nullptr, &ctx, exts[i][0], exts[i][1]);
    const bool ok = ext != nullptr && X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    if (!ok) return false;
  }
  return true;
}

// A certificate for `subject_key` signed by `issuer_key`; `issuer` null means self-signed.
Result<X509Ptr> MakeCertificate(EVP_PKEY* subject_key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, bool ca) {
  X509Ptr cert(X509_new());
  bool ok = cert && X509_set_version(cert.get(), X509_VERSION_3) == 1 && SetRandomSerial(cert.get()) &&
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24 * 3600) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValiditySeconds) != nullptr &&
            SetName(X509_get_subject_name(cert.get()), cn) && X509_set_pubkey(cert.get(), subject_key) == 1;
  X509* issuer_cert = issuer != nullptr ? issuer : cert.get();
  ok = ok && X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert)) == 1;
  static const char* const kCaExts[][2] = {{"basicConstraints", "critical,CA:TRUE"},
                                           {"keyUsage", "critical,keyCertSign,cRLSign"},
                                           {"subjectKeyIdentifier", "hash"},
                                           {"authorityKeyIdentifier", "keyid:always"}};
  static const char* const kLeafExts[][2] = {{"basicConstraints", "critical,CA:FALSE"},
                                             {"keyUsage", "critical,digitalSignature,nonRepudiation"},
                                             {"subjectKeyIdentifier", "hash"},
                                             {"authorityKeyIdentifier", "keyid:always"}};
  ok = ok && AddExtensions(cert.get(), issuer_cert, ca ? kCaExts : kLeafExts, 4);
  ok = ok && X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0;
  if (!ok) return SslError(Status::Code::kInternal, std::string("cannot build certificate ") + cn);
  return cert;
}

Status ErrnoStatus(const std::string& what, int err) {
  return Status::Internal(what + ": " + std::strerror(err));
}

// Writes `data` to a new file `path` with `mode`. O_EXCL: never follows or reuses an existing file, so
// the mode given here is the file's mode from its first instant (the umask can only narrow it).
Status WriteNewFile(const std::string& path, const std::string& data, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return ErrnoStatus("cannot create " + path, errno);
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      return ErrnoStatus("cannot write " + path, err);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return ErrnoStatus("cannot close " + path, errno);
  return Status::Ok();
}

// Writes under a temporary name and renames, so that a crash never leaves a half-written file under
// the final name (which the idempotency check would then keep).
Status InstallFile(const std::filesystem::path& dir, const char* name, const std::string& data, mode_t mode) {
  const std::filesystem::path final_path = dir / name;
  const std::filesystem::path tmp = dir / (std::string(".") + name + ".tmp-" + std::to_string(::getpid()));
  std::filesystem::remove(tmp);  // a leftover of an earlier crash; errors surface in the open below
  LIMS_RETURN_IF_ERROR(WriteNewFile(tmp, data, mode));
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    const int err = errno;
    std::filesystem::remove(tmp);
    return ErrnoStatus("cannot rename to " + final_path.string(), err);
  }
  return Status::Ok();
}

Result<std::string> PemOf(EVP_PKEY* key, X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  const bool ok =
      bio && (key != nullptr ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1
                             : PEM_write_bio_X509(bio.get(), cert) == 1);
  if (!ok) return SslError(Status::Code::kInternal, "cannot encode PEM");
  return BioContents(bio.get());
}

Status PrepareDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return Status::Ok();
  std::filesystem::create_directories(dir.parent_path().empty() ? "." : dir.parent_path(), ec);
  if (ec) return Status::Internal("cannot create " + dir.parent_path().string() + ": " + ec.message());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoStatus("cannot create " + dir.string(), errno);
  return Status::Ok();
}

}  // namespace

Status CreateDemoLabKeys(const std::string& dir_name, KeyType type) {
  const std::filesystem::path dir(dir_name);
  LIMS_RETURN_IF_ERROR(PrepareDirectory(dir));
  int present = 0;
  for (const char* name : {kCaFile, kKeyFile, kCertFile}) present += std::filesystem::exists(dir / name) ? 1 : 0;
  if (present == 3) return Status::Ok();
  if (present != 0) {
    return Status::Conflict("incomplete demo key set in " + dir_name + ": remove it and create the keys again");
  }
  ERR_clear_error();
  Result<PkeyPtr> ca_key = GenerateKey(type);
  if (!ca_key.ok()) return ca_key.status();
  Result<PkeyPtr> key = GenerateKey(type);
  if (!key.ok()) return key.status();
  Result<X509Ptr> ca = MakeCertificate(ca_key->get(), "Pramaan demo lab CA", nullptr, ca_key->get(), true);
  if (!ca.ok()) return ca.status();
  Result<X509Ptr> cert = MakeCertificate(key->get(), "Pramaan demo lab signing", ca->get(), ca_key->get(), false);
  if (!cert.ok()) return cert.status();
  Result<std::string> ca_pem = PemOf(nullptr, ca->get());
  Result<std::string> cert_pem = PemOf(nullptr, cert->get());
  Result<std::string> key_pem = PemOf(key->get(), nullptr);
  if (!ca_pem.ok() || !cert_pem.ok() || !key_pem.ok()) return SslError(Status::Code::kInternal, "cannot encode PEM");
  // The key goes last: its presence marks a complete set.
  LIMS_RETURN_IF_ERROR(InstallFile(dir, kCaFile, *ca_pem, 0644));
  LIMS_RETURN_IF_ERROR(InstallFile(dir, kCertFile, *cert_pem, 0644));
  Status written = InstallFile(dir, kKeyFile, *key_pem, 0600);
  OPENSSL_cleanse(key_pem->data(), key_pem->size());
  return written;
}

}  // namespace lims::reports
