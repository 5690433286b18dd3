"""A "foreign" PDF signer for the interoperability tests: pyHanko's own stock signing path, run as a
separate process, exactly what ``pyhanko sign addsig pemder --key K --cert C --chain CH in out`` does
(the ``pyhanko-cli`` package that provides that command is not a dependency of the project).
Default settings: subfilter adbe.pkcs7.detached, no stamp — none of our engine's code is involved.

    python -m tests.signatures.pki.foreign_sign KEY.pem CERT.pem CHAIN.pem IN.pdf OUT.pdf [KEY CERT … OUT …]
"""

import sys

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers


def main(key: str, cert: str, chain: str, source: str, target: str) -> None:
    signer = signers.SimpleSigner.load(key, cert, ca_chain_files=(chain,))
    with open(source, "rb") as inf, open(target, "wb") as outf:
        writer = IncrementalPdfFileWriter(inf)
        signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="ForeignSignature"), signer=signer,
                         output=outf)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    for start in range(0, len(arguments), 5):  # several jobs per process: start-up is the slow part
        main(*arguments[start:start + 5])
