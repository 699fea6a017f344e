"""US English given names and the short forms people use for them on LinkedIn.

A name may belong to several groups ("Alex" is Alexander, Alexandra and Alexis), so two first
names are compatible when they share a group. Keys and variants are lower case, ASCII.
"""

from __future__ import annotations

from functools import cache

# formal name: its common short forms and spelling variants
_TABLE = """
aaron: ron ronnie
abigail: abby abbie gail
abraham: abe bram
adrian: adrien
adrienne: adriana
albert: al bert bertie
alberto: beto al
alejandro: alex ale jandro
alexander: alex alec alek xander sandy al lex
alexandra: alex alexa lexi lexie sandra sandy ali
alexis: alex lexi
alfred: al alf fred freddie
alfredo: fredo al
alicia: ali allie licia
allison: ali allie alison
amanda: mandy manda amy
andrea: andi andie drea
andrew: andy drew dre
angela: angie angel
anna: ann annie
anne: annie ann
anthony: tony ant anton
antonio: tony toni nino
arthur: art artie
barbara: barb barbie babs
benjamin: ben benny benji
bernard: bernie bernardo
beverly: bev
bradley: brad
brandon: bran brandy
brittany: britt brit
caleb: cal
cameron: cam
carolyn: carol carrie lynn
caroline: carol carrie caro
catherine: cathy cat kate katie cate
charles: charlie chuck chas chaz chip
charlotte: charlie lottie
christian: chris
christina: chris tina christy kristina
christine: chris tina chrissy christy
christopher: chris topher kit kris
cynthia: cindy cyndi
daniel: dan danny
danielle: dani danni ellie
david: dave davy
deborah: deb debbie debra
dennis: denny
dominic: dom nick
donald: don donnie
dorothy: dot dottie dolly
douglas: doug
edward: ed eddie ted ned
eduardo: eddie lalo ed
elizabeth: liz lizzie beth betsy betty eliza libby lisa elisa elise lizbeth
emily: em emmy millie
emma: em emmy
eric: rick ricky
ernest: ernie
eugene: gene
evan: ev
francis: frank fran frankie
francisco: frank pancho paco cisco
frederick: fred freddie rick fritz
gabriel: gabe gabby
gabriela: gabby gaby gabriella
gerald: jerry gerry
gregory: greg
guillermo: memo will
harold: hal harry
henry: hank harry hal
isabel: isabella bella izzy
isaac: ike zac
jacob: jake jay
jacqueline: jackie jacky
james: jim jimmy jamie jay
janet: jan
jason: jay jase
jeffrey: jeff geoff
jennifer: jen jenny jenn jenna
jeremy: jerry
jessica: jess jessie
joanne: jo joann joanna
john: jack johnny jon
jonathan: jon john jonny nate
joseph: joe joey jose
joshua: josh
josephine: jo josie
judith: judy jude
julia: julie jules
katherine: kate katie kathy kat kay kit kathryn catherine kathleen
kathleen: kathy kate katie
kenneth: ken kenny
kimberly: kim kimmy
kristen: kris kristin kristy
lawrence: larry laurence
leonard: leo len lenny
leslie: les
lillian: lily lil
louis: lou lewis
lucas: luke
madeline: maddie maddy madelyn madeleine
margaret: maggie meg peggy marge margie greta megan
maria: mary mari
mary: molly polly mae marie
matthew: matt matty
megan: meg meghan
melissa: mel missy lisa
michael: mike mikey mick mickey mitch
michelle: shelly chelle
miguel: mike migue
mitchell: mitch
nathan: nate nat
nathaniel: nate nat nathan
nicholas: nick nicky nico
nicole: nikki nicky cole
oliver: ollie
pamela: pam
patricia: pat patty trish tricia
patrick: pat paddy
peter: pete
philip: phil pip
phillip: phil
rachel: rach
raymond: ray
rebecca: becky becca
richard: rich rick ricky dick richie
robert: rob bob bobby robbie bert
roberto: beto rob
rodney: rod
ronald: ron ronnie
russell: russ
samantha: sam sammy
samuel: sam sammy
sandra: sandy sandi
sarah: sara sally sadie
stephanie: steph stevie
stephen: steve stevie
steven: steve stevie
susan: sue susie suzy
suzanne: sue suzy
sylvester: sly
terrence: terry
theodore: ted teddy theo
thomas: tom tommy
timothy: tim timmy
tobias: toby
valerie: val
veronica: ronnie vera
victor: vic
victoria: vicky tori vic
vincent: vince vinny
walter: walt wally
william: bill billy will willy liam
zachary: zach zack zac
abel: abe
alan: al allen allan
alice: allie
amelia: amy millie
anastasia: ana stacy
angelica: angie
annabelle: annie bella
beatrice: bea trixie
bradford: brad
calvin: cal
candace: candy
cassandra: cassie cass sandra
cecilia: cece cecily
clifford: cliff
curtis: curt
cyrus: cy
ezekiel: zeke
giovanni: gio
jeremiah: jerry jer
isaiah: ike
mackenzie: mac kenzie
mckenzie: kenzie
elijah: eli
elliott: eli
savannah: savvy anna
gabrielle: gabby elle
brianna: bri
brittney: britt
jacob: jake
delores: dee lola
desmond: des
dominique: dom
eleanor: ellie nora elle
eliza: liza
ella: ellie
evelyn: evie eve
florence: flo
gilbert: gil
gwendolyn: gwen
harriet: hattie
heather: heath
jacquelyn: jackie
jillian: jill
johanna: jo hanna
kenji: ken
kendra: kenny
lauren: laurie
leonardo: leo
loretta: lori retta
lucille: lucy
maximilian: max
maxwell: max
montgomery: monty
natalie: nat nattie
norman: norm
penelope: penny
priscilla: cilla
randall: randy
reginald: reggie reg
roger: rog
rosalind: rose roz
rosemary: rose rosie
sebastian: seb bastian
sheldon: shel
solomon: sol
spencer: spence
stanley: stan
tabitha: tabby
tamara: tammy
theresa: terry tess tessa teresa
tiffany: tiff
travis: trav
vanessa: nessa
virginia: ginny ginger
wesley: wes
winifred: winnie
yolanda: yoli
zoe: zoey
jesus: chuy
jose: pepe chepe
manuel: manny
enrique: kike quique
ignacio: nacho
rafael: rafa
alfonso: poncho
dolores: lola
guadalupe: lupe lupita
concepcion: concha
rosario: charo
mercedes: meche
refugio: cuco
xavier: javi javier
javier: javi
fernando: nando fer
"""


def _parse(table: str) -> dict[str, frozenset[str]]:
    groups: dict[str, frozenset[str]] = {}
    for line in table.strip().splitlines():
        formal, _, rest = line.partition(":")
        groups[formal.strip()] = frozenset({formal.strip(), *rest.split()})
    return groups


NICKNAME_GROUPS: dict[str, frozenset[str]] = _parse(_TABLE)


@cache
def _index() -> dict[str, frozenset[str]]:
    """Each name -> the formal names of every group it belongs to."""
    found: dict[str, set[str]] = {}
    for formal, members in NICKNAME_GROUPS.items():
        for member in members:
            found.setdefault(member, set()).add(formal)
    return {name: frozenset(formals) for name, formals in found.items()}


def nickname_pairs() -> set[tuple[str, str]]:
    """Every (formal, short form) pair the table knows, for documentation and tests."""
    return {(formal, m) for formal, members in NICKNAME_GROUPS.items() for m in members if m != formal}


def same_person_names(a: str, b: str) -> bool:
    """True when two lower-case ASCII given names can name the same person (Bill and William)."""
    if a == b:
        return True
    index = _index()
    return bool(index.get(a, frozenset()) & index.get(b, frozenset()))
