// Names span many cultures and diacritics on purpose: demo data is where people first
// notice whether search, sorting and email slugs cope with "Łukasz" or "Zoë". Grouping by
// region lets most people get a first and last name that plausibly belong together.

export type NameGroup = {
  readonly region: string;
  /** Relative share of contacts drawn from this group. */
  readonly weight: number;
  readonly first: readonly string[];
  readonly last: readonly string[];
};

/** A list written as one comma-separated line, rather than one line per name. */
const names = (list: string): readonly string[] => list.split(', ');

export const NAME_GROUPS: readonly NameGroup[] = [
  {
    region: 'anglo',
    weight: 24,
    first: names(
      'James, Olivia, Liam, Emma, Noah, Amelia, Oliver, Charlotte, Harry, Isla, Jack, Grace, George, Sophie, Ethan, Chloe, Lucas, Emily, Mason, Hannah, Daniel, Ruby, Samuel, Ella, Thomas, Lily, William, Evie, Henry, Zoë, Aoife, Siobhán, Ciarán, Niamh, Eoin, Saoirse, Rhys, Ffion, Callum, Morag',
    ),
    last: names(
      "Smith, Johnson, Williams, Brown, Jones, Taylor, Wilson, Davies, Evans, Thomas, Roberts, Walker, Wright, Robinson, Thompson, White, Hughes, Edwards, Green, Hall, Wood, Harris, Clarke, Jackson, Turner, Hill, Moore, Cooper, Ward, O'Brien, O'Connor, Murphy, Kelly, Byrne, Ní Bhriain, MacLeod, McKenzie, Campbell, Llewellyn, Pryce",
    ),
  },
  {
    region: 'germanic',
    weight: 16,
    first: names(
      'Lukas, Anna, Jonas, Lea, Felix, Marie, Maximilian, Jürgen, Björn, Sören, Annika, Jörg, Käthe, Daan, Sanne, Sem, Fleur, Anders, Ingrid, Astrid, Søren, Freja, Mikkel, Åsa, Linnéa, Sigrid, Oskar, Elin, Mats, Eero, Aino, Väinö, Helmi, Jóhanna, Sigurður, Guðrún',
    ),
    last: names(
      'Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schäfer, Koch, Hoffmann, Schröder, Krüger, Weiß, Groß, Köhler, de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Visser, Smit, Hansen, Johansson, Nielsen, Jensen, Andersson, Lindqvist, Bergström, Sjöberg, Østergaard, Løvik, Ødegård, Virtanen, Korhonen, Mäkinen, Hämäläinen, Jónsdóttir, Sigurðsson',
    ),
  },
  {
    region: 'romance',
    weight: 20,
    first: names(
      'Louis, Camille, Hugo, Léa, Gabriel, Chloé, Raphaël, Inès, Théo, Manon, Élodie, François, Hélène, Jérôme, Margaux, Giulia, Marco, Francesca, Luca, Chiara, Matteo, Sofia, Niccolò, Alessia, Lorenzo, Elena, José, María, Alejandro, Lucía, Javier, Carmen, Ramón, Inés, Álvaro, Begoña, Iñaki, Nerea, João, Beatriz, Gonçalo, Leonor, Tomás, Mariana, Conceição, Sebastián, Valentina, Mateo, Camila, Santiago, Renata, Joaquín, Ximena, Andrés, Paula',
    ),
    last: names(
      'Martin, Bernard, Dubois, Durand, Lefèvre, Moreau, Laurent, Girard, Rousseau, Fournier, Mercier, Bélanger, Côté, Gagné, Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, De Luca, Conti, García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, Jiménez, Muñoz, Álvarez, Romero, Navarro, Castaño, Ibáñez, Echeverría, Silva, Santos, Ferreira, Pereira, Oliveira, Costa, Gonçalves, Araújo, Magalhães, Ramírez, Hernández, Torres, Flores, Vargas, Castillo, Guzmán, Peña',
    ),
  },
  {
    region: 'central-eastern',
    weight: 12,
    first: names(
      'Łukasz, Agnieszka, Paweł, Małgorzata, Wojciech, Zofia, Krzysztof, Katarzyna, Tomáš, Jana, Jiří, Tereza, Dušan, Lucie, Ondřej, Petra, Zoltán, Réka, Bálint, Eszter, Ioana, Andrei, Mihai, Ștefan, Dmitri, Olena, Taras, Yulia, Nikola, Milica, Luka, Ivana, Marija, Goran, Elif, Mehmet, Ayşe, Çağla, Emre, Zeynep, Giorgos, Eleni, Nikos, Dimitra',
    ),
    last: names(
      'Nowak, Kowalski, Wiśniewska, Wójcik, Kamiński, Lewandowski, Zieliński, Szymańska, Dąbrowski, Łęcka, Novák, Dvořák, Svoboda, Černý, Procházková, Kučera, Horváth, Nagy, Kovács, Szabó, Tóth, Popescu, Ionescu, Dumitrescu, Țurcanu, Ivanov, Petrenko, Shevchenko, Kovalenko, Jovanović, Petrović, Horvat, Kovačević, Babić, Yılmaz, Kaya, Demir, Şahin, Çelik, Öztürk, Papadopoulos, Georgiou, Nikolaidis',
    ),
  },
  {
    region: 'mena',
    weight: 6,
    first: names(
      'Omar, Layla, Yusuf, Fatima, Karim, Nour, Hassan, Amira, Tariq, Yasmin, Rania, Samir, Dalia, Youssef, Noa, Eitan, Tamar, Yael, Dariush, Shirin',
    ),
    last: names(
      'Haddad, Khalil, Mansour, Nasser, Saleh, Aziz, Farouk, El-Amin, Benali, Bouazizi, Cohen, Levi, Mizrahi, Peretz, Ahmadi, Hosseini, Karimi, Rahimi',
    ),
  },
  {
    region: 'sub-saharan',
    weight: 7,
    first: names(
      'Chinedu, Adaeze, Oluwaseun, Ngozi, Kwame, Ama, Kofi, Abena, Tendai, Nomvula, Thabo, Lerato, Sipho, Zanele, Wanjiru, Kamau, Amani, Baraka, Aminata, Moussa, Fatoumata, Ibrahima, Yohannes, Selam, Tsion, Abebe',
    ),
    last: names(
      'Okafor, Adeyemi, Okonkwo, Nwosu, Balogun, Mensah, Owusu, Boateng, Asante, Dlamini, Nkosi, Ndlovu, Khumalo, Mokoena, Mwangi, Otieno, Kariuki, Njoroge, Diallo, Traoré, Ndiaye, Diop, Keïta, Tesfaye, Bekele, Haile, Moyo, Banda',
    ),
  },
  {
    region: 'south-asian',
    weight: 8,
    first: names(
      'Aarav, Priya, Vihaan, Ananya, Rohan, Aditi, Arjun, Kavya, Rahul, Sneha, Siddharth, Meera, Imran, Ayesha, Bilal, Sana, Tanvir, Nusrat, Nimal, Dilani',
    ),
    last: names(
      'Sharma, Patel, Singh, Gupta, Kumar, Reddy, Iyer, Nair, Menon, Chatterjee, Banerjee, Mukherjee, Desai, Joshi, Khan, Qureshi, Chaudhry, Rahman, Hossain, Perera, Fernando, Jayasuriya',
    ),
  },
  {
    region: 'east-asian',
    weight: 7,
    first: names(
      'Wei, Mei, Jun, Xiu, Hao, Yan, Hiroshi, Yuki, Haruto, Sakura, Ren, Aoi, Min-jun, Seo-yeon, Ji-ho, Ha-eun, Minh, Linh, Tuấn, Thảo, Somchai, Malee, Ayu, Budi, Siti, Rizal, Maricel, Jericho, Aroha, Tane, Keanu, Leilani',
    ),
    last: names(
      'Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Tanaka, Suzuki, Takahashi, Watanabe, Itō, Yamamoto, Nakamura, Kobayashi, Kim, Lee, Park, Choi, Jung, Kang, Nguyễn, Trần, Lê, Phạm, Hoàng, Võ, Srisai, Wongsakul, Santoso, Wijaya, Halim, Reyes, Cruz, Bautista, Dela Cruz, Ngata, Parata',
    ),
  },
];
