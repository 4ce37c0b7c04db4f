/**
 * An export_cda.xml shaped after a real one (HardeepMann/HackTJ23 @ fdfbb8015e62,
 * `apple_health_export/export_cda.xml`, no licence stated, so not copied): a header,
 * the organizer Apple writes with `before` heart-rate observations, `</ClinicalDocument>`
 * closed, and then `after` more `<component><observation>` written after the root, which
 * no XML parser accepts ("documents may contain only one root").
 */
export function cdaWithContentAfterRoot(before: number, after: number): string {
  const observation = (i: number) => `<component>
    <observation classCode="OBS" moodCode="EVN">
     <code code="8867-4" codeSystem="2.16.840.1.113883.6.1" codeSystemName="LOINC" displayName="Heart rate"/>
     <text><sourceName>Vitória’s Watch</sourceName><value>${60 + i}</value><type>HKQuantityTypeIdentifierHeartRate</type><unit>count/min</unit></text>
     <effectiveTime><low value="2023030410${String(i % 60).padStart(2, '0')}00-0800"/><high value="2023030410${String(i % 60).padStart(2, '0')}00-0800"/></effectiveTime>
     <value xsi:type="PQ" value="${60 + i}" unit="count/min"/>
    </observation>
   </component>`;
  const head = `<?xml version="1.0"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <realmCode code="US"/>
 <title>Health Data Export</title>
 <component>
  <structuredBody>
   <component>
    <section>
     <title>Vital Signs</title>
     <entry typeCode="DRIV">
      <organizer classCode="CLUSTER" moodCode="EVN">
       <statusCode code="completed"/>
`;
  const body = Array.from({ length: before }, (_, i) => `   ${observation(i)}\n`).join('');
  const close = `      </organizer>\n     </entry>\n    </section>\n   </component>\n  </structuredBody>\n </component>\n</ClinicalDocument>\n`;
  const rest = Array.from({ length: after }, (_, i) => `${observation(before + i)}\n`).join('');
  return head + body + close + rest;
}
